import { ByteReader } from '../codec/byte-reader';
import { ProtocolError, ProtocolErrorCode } from '../protocol-error';
import { isThreemaId } from '../threema-id';

// spec §1.6 payload bodies (the data inside a container).

export interface MessageAck {
  /** for 0x81 the receiver of the acknowledged message, for 0x82 its sender */
  readonly identity: string;
  readonly messageId: bigint;
}

export const MESSAGE_ACK_LENGTH = 16;

export function decodeMessageAck(data: Uint8Array): MessageAck {
  // clients hard-fail on acks that are not exactly 16 bytes (spec §1.7); so do we
  if (data.length !== MESSAGE_ACK_LENGTH) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'message-ack must be exactly 16 bytes');
  }
  const reader = new ByteReader(data, 'message-ack');
  const id = reader.readView(8, 'identity');
  const identity = Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('latin1');
  if (!isThreemaId(identity))
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'message-ack: bad identity');
  return { identity, messageId: reader.readU64LE('message-id') };
}

export function encodeMessageAck(ack: MessageAck): Uint8Array {
  if (!isThreemaId(ack.identity))
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'message-ack: bad identity');
  // one per message on the chat server: written in place (a valid identity is 8 ASCII bytes), every byte set
  const bytes = Buffer.allocUnsafe(MESSAGE_ACK_LENGTH);
  bytes.write(ack.identity, 0, 'latin1');
  bytes.writeBigUInt64LE(ack.messageId, 8);
  return bytes;
}

/** close-error: can-reconnect u8 ‖ UTF-8 text. A second login's text starts with "Another connection". */
export function encodeCloseError(canReconnect: boolean, message: string): Uint8Array {
  return Buffer.concat([Uint8Array.of(canReconnect ? 1 : 0), Buffer.from(message, 'utf8')]);
}

export function encodeAlert(message: string): Uint8Array {
  return Buffer.from(message, 'utf8');
}

export const IDLE_TIMEOUT_MIN_SECONDS = 30;
export const IDLE_TIMEOUT_MAX_SECONDS = 600;

/** set-connection-idle-timeout: u16-le seconds, 30..600 (spec §1.6). */
export function decodeIdleTimeout(data: Uint8Array): number {
  if (data.length !== 2)
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'idle timeout must be 2 bytes');
  const seconds = new DataView(data.buffer, data.byteOffset, 2).getUint16(0, true);
  if (seconds < IDLE_TIMEOUT_MIN_SECONDS || seconds > IDLE_TIMEOUT_MAX_SECONDS) {
    throw new ProtocolError(
      ProtocolErrorCode.INVALID_FIELD,
      `idle timeout must be ${String(IDLE_TIMEOUT_MIN_SECONDS)}..${String(IDLE_TIMEOUT_MAX_SECONDS)} seconds`,
    );
  }
  return seconds;
}

/** delete-push-notification-token: n × u64-le csp-device-id; empty = all devices except the sender. */
export function decodeDeletePushTokens(data: Uint8Array): readonly bigint[] {
  if (data.length % 8 !== 0) {
    throw new ProtocolError(
      ProtocolErrorCode.INVALID_FIELD,
      'delete-push-token: length must be a multiple of 8',
    );
  }
  const reader = new ByteReader(data, 'delete-push-token');
  const ids: bigint[] = [];
  while (reader.remaining > 0) ids.push(reader.readU64LE('csp-device-id'));
  return ids;
}
