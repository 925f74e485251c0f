import { MAC_LENGTH, NONCE_LENGTH } from '@ots/crypto';

import { ByteReader } from '../codec/byte-reader';
import { ProtocolError, ProtocolErrorCode } from '../protocol-error';
import { decodeThreemaId, encodeThreemaId, THREEMA_ID_LENGTH } from '../threema-id';
import { CSP_MAX_PAYLOAD_LENGTH } from './limits';

// spec §2.1 / §2.2: both struct versions share bytes 0..31, then differ in what follows.
const COMMON_HEADER_LENGTH = 32;
export const NICKNAME_FIELD_LENGTH = 32;
/** Header before the message box: 88 bytes (+ M metadata bytes in the metadata-box variant). */
export const MESSAGE_STRUCT_FIXED_LENGTH = COMMON_HEADER_LENGTH + NICKNAME_FIELD_LENGTH + NONCE_LENGTH;
/** A message box holds at least its MAC and the E2E type byte (spec §3). */
export const MIN_MESSAGE_BOX_LENGTH = MAC_LENGTH + 1;
const MAX_U64 = (1n << 64n) - 1n;
const MAX_U32 = 0xffff_ffff;
const MAX_U16 = 0xffff;

/** Fields shared by both struct versions (spec §2.1 offsets 0..29). */
export interface MessageEnvelope {
  readonly senderIdentity: string;
  readonly receiverIdentity: string;
  /** u64-le, unique per sender/receiver pair. */
  readonly messageId: bigint;
  /** u32-le Unix seconds. */
  readonly createdAt: number;
  /** spec §2.3 bit mask, see MessageFlag. */
  readonly flags: number;
}

/** spec §2.1 message-with-metadata-box (payload version 0x01). */
export interface MessageWithMetadataBox extends MessageEnvelope {
  /** 32 bytes, zero-padded UTF-8; only filled for `*` Gateway receivers, zeros otherwise. */
  readonly legacySenderNickname: Uint8Array;
  /** Encrypted csp-e2e.MessageMetadata; empty when absent (M = 0). */
  readonly metadataContainer: Uint8Array;
  /** 24 bytes, shared by the metadata box and the message box. */
  readonly nonce: Uint8Array;
  readonly messageBox: Uint8Array;
}

/** spec §2.2 legacy-message (payload version 0x00). */
export interface LegacyMessage extends MessageEnvelope {
  /** 32 bytes, zero-padded UTF-8. */
  readonly senderNickname: Uint8Array;
  readonly nonce: Uint8Array;
  readonly messageBox: Uint8Array;
}

function invalid(message: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.INVALID_FIELD, message);
}

function requireMaxLength(length: number, structure: string): void {
  if (length > CSP_MAX_PAYLOAD_LENGTH) {
    throw new ProtocolError(
      ProtocolErrorCode.TOO_LARGE,
      `${structure} is ${length} bytes, more than the ${CSP_MAX_PAYLOAD_LENGTH} a frame can carry`,
    );
  }
}

/** iOS disconnects on metadata-length 1..16 (spec §1.7): a present metadata box holds more than its MAC. */
function requireValidMetadataLength(length: number): void {
  if (length !== 0 && length <= MAC_LENGTH) {
    throw invalid(`metadata-length ${length} is neither 0 nor longer than the ${MAC_LENGTH}-byte MAC`);
  }
  if (length > MAX_U16) throw invalid('metadata container does not fit a u16 length');
}

function requireMessageBoxLength(reader: ByteReader, structure: string): void {
  if (reader.remaining < MIN_MESSAGE_BOX_LENGTH) {
    throw new ProtocolError(
      ProtocolErrorCode.TRUNCATED,
      `${structure}: message-box has ${reader.remaining} bytes, needs at least ${MIN_MESSAGE_BOX_LENGTH}`,
    );
  }
}

function requireMessageBox(reader: ByteReader, structure: string): Uint8Array {
  requireMessageBoxLength(reader, structure);
  return reader.readRemaining();
}

function readEnvelope(reader: ByteReader): MessageEnvelope {
  const senderIdentity = decodeThreemaId(
    reader.readView(THREEMA_ID_LENGTH, 'sender-identity'),
    'sender-identity',
  );
  const receiverIdentity = decodeThreemaId(
    reader.readView(THREEMA_ID_LENGTH, 'receiver-identity'),
    'receiver-identity',
  );
  const messageId = reader.readU64LE('message-id');
  const createdAt = reader.readU32LE('created-at');
  const flags = reader.readU8('flags');
  // byte 29 is reserved; LIBT skips it, so we accept any value and always write 0
  reader.readU8('reserved');
  return { senderIdentity, receiverIdentity, messageId, createdAt, flags };
}

/** Writes bytes 0..29 (everything before the u16 at 30) after validating every field. */
function writeEnvelope(out: Buffer, envelope: MessageEnvelope): void {
  if (envelope.messageId < 0n || envelope.messageId > MAX_U64) throw invalid('message-id is not a u64');
  if (!Number.isInteger(envelope.createdAt) || envelope.createdAt < 0 || envelope.createdAt > MAX_U32) {
    throw invalid('created-at is not a u32');
  }
  if (!Number.isInteger(envelope.flags) || envelope.flags < 0 || envelope.flags > 0xff) {
    throw invalid('flags is not a u8');
  }
  out.set(encodeThreemaId(envelope.senderIdentity, 'sender-identity'), 0);
  out.set(encodeThreemaId(envelope.receiverIdentity, 'receiver-identity'), 8);
  out.writeBigUInt64LE(envelope.messageId, 16);
  out.writeUInt32LE(envelope.createdAt, 24);
  out.writeUInt8(envelope.flags, 28);
  out.writeUInt8(0, 29);
}

function requireFieldLength(bytes: Uint8Array, length: number, field: string): void {
  if (bytes.length !== length) throw invalid(`${field} must be ${length} bytes, got ${bytes.length}`);
}

function requireEncodableBox(messageBox: Uint8Array): void {
  if (messageBox.length < MIN_MESSAGE_BOX_LENGTH) {
    throw invalid(`message-box must be at least ${MIN_MESSAGE_BOX_LENGTH} bytes`);
  }
}

/** Decodes spec §2.1; throws ProtocolError (TRUNCATED, TOO_LARGE, INVALID_FIELD) on malformed input. */
export function decodeMessageWithMetadataBox(bytes: Uint8Array): MessageWithMetadataBox {
  const envelope = validateMessageWithMetadataBox(bytes);
  const metadataLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(30, true);
  const nonceAt = COMMON_HEADER_LENGTH + NICKNAME_FIELD_LENGTH + metadataLength;
  return {
    ...envelope,
    legacySenderNickname: bytes.slice(COMMON_HEADER_LENGTH, COMMON_HEADER_LENGTH + NICKNAME_FIELD_LENGTH),
    metadataContainer: bytes.slice(COMMON_HEADER_LENGTH + NICKNAME_FIELD_LENGTH, nonceAt),
    nonce: bytes.slice(nonceAt, nonceAt + NONCE_LENGTH),
    messageBox: bytes.slice(nonceAt + NONCE_LENGTH),
  };
}

/**
 * Validates spec §2.1 exactly as decodeMessageWithMetadataBox does (same errors) and returns only the envelope,
 * copying nothing: for a relay that passes the struct on unchanged (the chat server's hot path).
 */
export function validateMessageWithMetadataBox(bytes: Uint8Array): MessageEnvelope {
  const structure = 'message-with-metadata-box';
  requireMaxLength(bytes.length, structure);
  const reader = new ByteReader(bytes, structure);
  const envelope = readEnvelope(reader);
  const metadataLength = reader.readU16LE('metadata-length');
  requireValidMetadataLength(metadataLength);
  reader.skip(NICKNAME_FIELD_LENGTH, 'legacy-sender-nickname');
  reader.skip(metadataLength, 'metadata-container');
  reader.skip(NONCE_LENGTH, 'message-and-metadata-nonce');
  requireMessageBoxLength(reader, structure);
  return envelope;
}

export function encodeMessageWithMetadataBox(message: MessageWithMetadataBox): Uint8Array {
  requireFieldLength(message.legacySenderNickname, NICKNAME_FIELD_LENGTH, 'legacy-sender-nickname');
  requireFieldLength(message.nonce, NONCE_LENGTH, 'nonce');
  requireValidMetadataLength(message.metadataContainer.length);
  requireEncodableBox(message.messageBox);
  const metadataLength = message.metadataContainer.length;
  const length = MESSAGE_STRUCT_FIXED_LENGTH + metadataLength + message.messageBox.length;
  requireMaxLength(length, 'message-with-metadata-box');

  const out = Buffer.alloc(length);
  writeEnvelope(out, message);
  out.writeUInt16LE(metadataLength, 30);
  out.set(message.legacySenderNickname, COMMON_HEADER_LENGTH);
  out.set(message.metadataContainer, 64);
  out.set(message.nonce, 64 + metadataLength);
  out.set(message.messageBox, MESSAGE_STRUCT_FIXED_LENGTH + metadataLength);
  return out;
}

/** Decodes spec §2.2; bytes 30..31 (reserved-metadata-length) must be zero. */
export function decodeLegacyMessage(bytes: Uint8Array): LegacyMessage {
  const structure = 'legacy-message';
  requireMaxLength(bytes.length, structure);
  const reader = new ByteReader(bytes, structure);
  const envelope = readEnvelope(reader);
  if (reader.readU16LE('reserved-metadata-length') !== 0) {
    throw invalid('legacy-message reserved-metadata-length must be 0');
  }
  const senderNickname = reader.readBytes(NICKNAME_FIELD_LENGTH, 'sender-nickname');
  const nonce = reader.readBytes(NONCE_LENGTH, 'message-nonce');
  const messageBox = requireMessageBox(reader, structure);
  return { ...envelope, senderNickname, nonce, messageBox };
}

export function encodeLegacyMessage(message: LegacyMessage): Uint8Array {
  requireFieldLength(message.senderNickname, NICKNAME_FIELD_LENGTH, 'sender-nickname');
  requireFieldLength(message.nonce, NONCE_LENGTH, 'nonce');
  requireEncodableBox(message.messageBox);
  const length = MESSAGE_STRUCT_FIXED_LENGTH + message.messageBox.length;
  requireMaxLength(length, 'legacy-message');

  const out = Buffer.alloc(length);
  writeEnvelope(out, message);
  out.writeUInt16LE(0, 30);
  out.set(message.senderNickname, COMMON_HEADER_LENGTH);
  out.set(message.nonce, 64);
  out.set(message.messageBox, MESSAGE_STRUCT_FIXED_LENGTH);
  return out;
}
