import { randomBytes, secretbox } from '@ots/crypto';
import {
  encodeLegacyMessage,
  encodeMessageWithMetadataBox,
  NICKNAME_FIELD_LENGTH,
  ProtocolError,
} from '@ots/protocol';

import { encodeE2eContainer } from './e2e-container';
import { E2eError, E2eErrorCode } from './e2e-error';
import { derivePairKeys, type PairKeys } from './message-keys';
import { encodeMessageMetadata } from './message-metadata';

const NONCE_LENGTH = 24;

/** Everything needed to build one outgoing struct (payload 0x01). */
export interface OutgoingMessage {
  readonly senderIdentity: string;
  readonly senderSecretKey: Uint8Array;
  readonly receiverIdentity: string;
  readonly receiverPublicKey: Uint8Array;
  /** u64, unique per sender/receiver pair; see randomMessageId. */
  readonly messageId: bigint;
  /** spec §2.3 flags. */
  readonly flags: number;
  /** spec §3 E2E type byte and its (unpadded) body. */
  readonly type: number;
  readonly body: Uint8Array;
  /** Unix milliseconds; default now. The struct carries seconds, the metadata milliseconds. */
  readonly createdAtMs?: number;
  /** The sender's nickname: in the metadata box, and in clear only for `*` receivers (spec §2.1). */
  readonly nickname?: string;
  /** spec §2.1 (default, metadata box) or §2.2 (legacy, nickname in clear, no metadata). */
  readonly structVersion?: 'metadata-box' | 'legacy';
  /** derivePairKeys(senderSecretKey, receiverPublicKey), cached by the caller to save an X25519 per message. */
  readonly pairKeys?: PairKeys;
  /** Fixed values for reproducible tests; random otherwise. */
  readonly nonce?: Uint8Array;
  readonly padLength?: number;
}

/** A random u64 message ID (spec §2.1 only requires uniqueness per pair). */
export function randomMessageId(): bigint {
  return Buffer.from(randomBytes(8)).readBigUInt64LE();
}

/** UTF-8, zero-padded to 32 bytes, cut at a character boundary when longer. */
function nicknameField(nickname: string | undefined): Uint8Array {
  const field = new Uint8Array(NICKNAME_FIELD_LENGTH);
  if (nickname === undefined) return field;
  let bytes = Buffer.from(nickname, 'utf8');
  if (bytes.length > NICKNAME_FIELD_LENGTH) {
    let end = NICKNAME_FIELD_LENGTH;
    // step back over UTF-8 continuation bytes (10xxxxxx) so no character is split
    while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
    bytes = bytes.subarray(0, end);
  }
  field.set(bytes);
  return field;
}

function invalidInput(error: unknown): never {
  if (error instanceof ProtocolError) throw new E2eError(E2eErrorCode.INVALID_INPUT, error.message);
  throw error;
}

/**
 * Builds the complete struct of an outgoing message: the E2E container (type ‖ padded body) in a NaCl box from
 * sender to receiver (spec §3), and for the metadata-box version the MessageMetadata in a secretbox under MMK with
 * the same nonce (spec §2.4).
 */
export function encryptMessage(message: OutgoingMessage): Uint8Array {
  const createdAtMs = message.createdAtMs ?? Date.now();
  if (!Number.isSafeInteger(createdAtMs) || createdAtMs < 0) {
    throw new E2eError(E2eErrorCode.INVALID_INPUT, 'created-at must be a non-negative integer');
  }
  const nonce = message.nonce ?? randomBytes(NONCE_LENGTH);
  if (nonce.length !== NONCE_LENGTH) {
    throw new E2eError(E2eErrorCode.INVALID_INPUT, `nonce must be ${NONCE_LENGTH} bytes`);
  }
  const keys = message.pairKeys ?? derivePairKeys(message.senderSecretKey, message.receiverPublicKey);
  const messageBox = secretbox(
    encodeE2eContainer({ type: message.type, body: message.body }, message.padLength),
    nonce,
    keys.messageKey,
  );
  const envelope = {
    senderIdentity: message.senderIdentity,
    receiverIdentity: message.receiverIdentity,
    messageId: message.messageId,
    createdAt: Math.floor(createdAtMs / 1000),
    flags: message.flags,
  };
  try {
    if (message.structVersion === 'legacy') {
      return encodeLegacyMessage({
        ...envelope,
        senderNickname: nicknameField(message.nickname),
        nonce,
        messageBox,
      });
    }
    const metadata = encodeMessageMetadata({
      ...(message.nickname === undefined ? {} : { nickname: message.nickname }),
      messageId: message.messageId,
      createdAtMs,
    });
    const inClear = message.receiverIdentity.startsWith('*') ? message.nickname : undefined;
    return encodeMessageWithMetadataBox({
      ...envelope,
      legacySenderNickname: nicknameField(inClear),
      metadataContainer: secretbox(metadata, nonce, keys.metadataKey),
      nonce,
      messageBox,
    });
  } catch (error) {
    return invalidInput(error);
  }
}
