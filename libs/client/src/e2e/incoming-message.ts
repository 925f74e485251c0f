import { CryptoError, secretboxOpen } from '@ots/crypto';
import {
  decodeMessageWithMetadataBox,
  type MessageEnvelope,
  type MessageWithMetadataBox,
  ProtocolError,
} from '@ots/protocol';

import { decodeE2eContainer } from './e2e-container';
import { E2eError, E2eErrorCode } from './e2e-error';
import { derivePairKeys, type PairKeys } from './message-keys';
import { decodeMessageMetadata, type MessageMetadata } from './message-metadata';

/** An incoming message after decryption. */
export interface OpenedMessage extends MessageEnvelope {
  /** spec §3 E2E type byte and the body with the padding removed. */
  readonly type: number;
  readonly body: Uint8Array;
  /** The decrypted metadata (spec §2.4); absent for legacy structs and metadata-box structs with M = 0. */
  readonly metadata?: MessageMetadata;
  /** From the metadata, else from the 32-byte nickname field in clear (legacy / `*` senders). */
  readonly nickname?: string;
  /** Unix milliseconds: the metadata's created_at, else the struct's seconds. */
  readonly createdAtMs: number;
}

export interface OpenMessageKeys {
  readonly receiverSecretKey: Uint8Array;
  readonly senderPublicKey: Uint8Array;
  /** derivePairKeys(receiverSecretKey, senderPublicKey), cached by the caller to save an X25519 per message. */
  readonly pairKeys?: PairKeys;
  /** When given, a struct addressed to anyone else is refused (WRONG_RECEIVER). */
  readonly receiverIdentity?: string;
}

/**
 * Decodes either struct version. A legacy-message (spec §2.2) has exactly the layout of a message-with-metadata-box
 * (spec §2.1) whose metadata-length is 0, so one decoder reads both; the nickname field is then the sender's.
 */
export function decodeIncomingStruct(struct: Uint8Array): MessageWithMetadataBox {
  try {
    return decodeMessageWithMetadataBox(struct);
  } catch (error) {
    if (error instanceof ProtocolError) throw new E2eError(E2eErrorCode.MALFORMED, error.message);
    throw error;
  }
}

function nicknameFromField(field: Uint8Array): string | undefined {
  const end = field.indexOf(0);
  const bytes = end < 0 ? field : field.subarray(0, end);
  if (bytes.length === 0) return undefined;
  // a broken nickname in clear is cosmetic, not a reason to drop the message
  return Buffer.from(bytes).toString('utf8');
}

function open(box: Uint8Array, nonce: Uint8Array, key: Uint8Array, what: string): Uint8Array {
  try {
    return secretboxOpen(box, nonce, key);
  } catch (error) {
    if (error instanceof CryptoError) {
      throw new E2eError(E2eErrorCode.DECRYPTION_FAILED, `${what} does not authenticate`);
    }
    throw error;
  }
}

/** Decrypts an incoming struct (payload 0x02, either version) and checks it the way spec §2.4 / §3 require. */
export function decryptMessage(
  struct: Uint8Array | MessageWithMetadataBox,
  keys: OpenMessageKeys,
): OpenedMessage {
  const message = struct instanceof Uint8Array ? decodeIncomingStruct(struct) : struct;
  if (keys.receiverIdentity !== undefined && message.receiverIdentity !== keys.receiverIdentity) {
    throw new E2eError(E2eErrorCode.WRONG_RECEIVER, 'message is addressed to another identity');
  }
  const pair = keys.pairKeys ?? derivePairKeys(keys.receiverSecretKey, keys.senderPublicKey);
  const container = decodeE2eContainer(
    open(message.messageBox, message.nonce, pair.messageKey, 'message box'),
  );
  const envelope: MessageEnvelope = {
    senderIdentity: message.senderIdentity,
    receiverIdentity: message.receiverIdentity,
    messageId: message.messageId,
    createdAt: message.createdAt,
    flags: message.flags,
  };
  const nicknameInClear = nicknameFromField(message.legacySenderNickname);
  if (message.metadataContainer.length === 0) {
    return {
      ...envelope,
      ...container,
      ...(nicknameInClear === undefined ? {} : { nickname: nicknameInClear }),
      createdAtMs: message.createdAt * 1000,
    };
  }
  const metadata = decodeMessageMetadata(
    open(message.metadataContainer, message.nonce, pair.metadataKey, 'metadata box'),
  );
  if (metadata.messageId !== message.messageId) {
    throw new E2eError(E2eErrorCode.METADATA_MISMATCH, 'metadata message ID differs from the struct’s');
  }
  const nickname = metadata.nickname ?? nicknameInClear;
  return {
    ...envelope,
    ...container,
    metadata,
    ...(nickname === undefined ? {} : { nickname }),
    createdAtMs: metadata.createdAtMs === 0 ? message.createdAt * 1000 : metadata.createdAtMs,
  };
}
