import { E2eError, E2eErrorCode } from './e2e-error';

/** spec §2.4 csp_e2e.MessageMetadata, as carried (encrypted) in the metadata container. */
export interface MessageMetadata {
  /** field 1: padding to hide the nickname's length; absent when empty. */
  readonly padding?: Uint8Array;
  /** field 2 (optional string): the sender's nickname. */
  readonly nickname?: string;
  /** field 3 (fixed64): must equal the struct's message-id. */
  readonly messageId: bigint;
  /** field 4 (uint64): creation time in Unix milliseconds. */
  readonly createdAtMs: number;
}

// Protobuf wire types (https://protobuf.dev/programming-guides/encoding/)
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const FIELD_PADDING = 1;
const FIELD_NICKNAME = 2;
const FIELD_MESSAGE_ID = 3;
const FIELD_CREATED_AT = 4;

const MAX_U64 = (1n << 64n) - 1n;
const MAX_VARINT_BYTES = 10;

function malformed(message: string): E2eError {
  return new E2eError(E2eErrorCode.MALFORMED, `message metadata: ${message}`);
}

function writeVarint(out: number[], value: bigint): void {
  let rest = value;
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
}

function writeTag(out: number[], field: number, wireType: number): void {
  writeVarint(out, BigInt((field << 3) | wireType));
}

function writeBytesField(out: number[], field: number, bytes: Uint8Array): void {
  writeTag(out, field, LENGTH_DELIMITED);
  writeVarint(out, BigInt(bytes.length));
  for (const byte of bytes) out.push(byte);
}

/** Encodes like a protobuf serializer: fields in number order, proto3 defaults (0, empty) left out. */
export function encodeMessageMetadata(metadata: MessageMetadata): Uint8Array {
  if (metadata.messageId < 0n || metadata.messageId > MAX_U64) {
    throw new E2eError(E2eErrorCode.INVALID_INPUT, 'metadata message ID is not a u64');
  }
  if (!Number.isSafeInteger(metadata.createdAtMs) || metadata.createdAtMs < 0) {
    throw new E2eError(E2eErrorCode.INVALID_INPUT, 'metadata created-at must be a non-negative integer');
  }
  const out: number[] = [];
  if (metadata.padding !== undefined && metadata.padding.length > 0) {
    writeBytesField(out, FIELD_PADDING, metadata.padding);
  }
  if (metadata.nickname !== undefined) {
    writeBytesField(out, FIELD_NICKNAME, Buffer.from(metadata.nickname, 'utf8'));
  }
  if (metadata.messageId !== 0n) {
    writeTag(out, FIELD_MESSAGE_ID, FIXED64);
    const fixed = Buffer.alloc(8);
    fixed.writeBigUInt64LE(metadata.messageId);
    for (const byte of fixed) out.push(byte);
  }
  if (metadata.createdAtMs !== 0) {
    writeTag(out, FIELD_CREATED_AT, VARINT);
    writeVarint(out, BigInt(metadata.createdAtMs));
  }
  return Uint8Array.from(out);
}

class ProtobufReader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  varint(): bigint {
    let value = 0n;
    for (let index = 0; index < MAX_VARINT_BYTES; index++) {
      if (this.offset >= this.bytes.length) throw malformed('truncated varint');
      const byte = this.bytes[this.offset++];
      value |= BigInt(byte & 0x7f) << BigInt(7 * index);
      if ((byte & 0x80) === 0) {
        if (value > MAX_U64) throw malformed('varint exceeds 64 bits');
        return value;
      }
    }
    throw malformed('varint longer than 10 bytes');
  }

  take(length: number): Uint8Array {
    if (length > this.bytes.length - this.offset) throw malformed('field runs past the end');
    const slice = this.bytes.slice(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  lengthDelimited(): Uint8Array {
    const length = this.varint();
    if (length > BigInt(this.bytes.length)) throw malformed('field runs past the end');
    return this.take(Number(length));
  }

  skip(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === FIXED64) this.take(8);
    else if (wireType === LENGTH_DELIMITED) this.lengthDelimited();
    else if (wireType === FIXED32) this.take(4);
    else throw malformed(`unsupported wire type ${wireType}`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function expectWireType(actual: number, expected: number, field: string): void {
  if (actual !== expected) throw malformed(`${field} has wire type ${actual}, expected ${expected}`);
}

/** Decodes csp_e2e.MessageMetadata: unknown fields are skipped, the last of repeated scalars wins (protobuf rules). */
export function decodeMessageMetadata(bytes: Uint8Array): MessageMetadata {
  const reader = new ProtobufReader(bytes);
  let padding: Uint8Array | undefined;
  let nickname: string | undefined;
  let messageId = 0n;
  let createdAt = 0n;
  while (!reader.done) {
    const tag = reader.varint();
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (field === 0) throw malformed('field number 0');
    switch (field) {
      case FIELD_PADDING:
        expectWireType(wireType, LENGTH_DELIMITED, 'padding');
        padding = reader.lengthDelimited();
        break;
      case FIELD_NICKNAME:
        expectWireType(wireType, LENGTH_DELIMITED, 'nickname');
        try {
          nickname = utf8.decode(reader.lengthDelimited());
        } catch (error) {
          if (error instanceof E2eError) throw error;
          throw malformed('nickname is not valid UTF-8');
        }
        break;
      case FIELD_MESSAGE_ID:
        expectWireType(wireType, FIXED64, 'message_id');
        messageId = Buffer.from(reader.take(8)).readBigUInt64LE();
        break;
      case FIELD_CREATED_AT:
        expectWireType(wireType, VARINT, 'created_at');
        createdAt = reader.varint();
        break;
      default:
        reader.skip(wireType);
    }
  }
  if (createdAt > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('created_at is out of range');
  return {
    ...(padding === undefined ? {} : { padding }),
    ...(nickname === undefined ? {} : { nickname }),
    messageId,
    createdAtMs: Number(createdAt),
  };
}
