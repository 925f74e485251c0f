import { ProtocolError, ProtocolErrorCode } from '../protocol-error';
import { CSP_CONTAINER_HEADER_LENGTH, CSP_MAX_PAYLOAD_LENGTH } from './limits';

// spec §1.5: the plaintext of every post-handshake frame box: type u8 ‖ 3 reserved bytes ‖ data.
export interface Container {
  readonly type: number;
  readonly data: Uint8Array;
}

export function decodeContainer(bytes: Uint8Array): Container {
  if (bytes.length < CSP_CONTAINER_HEADER_LENGTH) {
    throw new ProtocolError(ProtocolErrorCode.TRUNCATED, 'container shorter than its 4-byte header');
  }
  if (bytes.length - CSP_CONTAINER_HEADER_LENGTH > CSP_MAX_PAYLOAD_LENGTH) {
    throw new ProtocolError(ProtocolErrorCode.TOO_LARGE, 'container data exceeds the frame limit');
  }
  // reserved bytes are ignored on receipt and written as zero (lenient like the clients)
  return { type: bytes[0], data: bytes.slice(CSP_CONTAINER_HEADER_LENGTH) };
}

export function encodeContainer(type: number, data: Uint8Array): Uint8Array {
  if (!Number.isInteger(type) || type < 0 || type > 0xff) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'container type must be a byte');
  }
  if (data.length > CSP_MAX_PAYLOAD_LENGTH) {
    throw new ProtocolError(ProtocolErrorCode.TOO_LARGE, 'container data exceeds the frame limit');
  }
  const bytes = new Uint8Array(CSP_CONTAINER_HEADER_LENGTH + data.length);
  bytes[0] = type;
  bytes.set(data, CSP_CONTAINER_HEADER_LENGTH);
  return bytes;
}
