import { ProtocolError, ProtocolErrorCode } from '../protocol-error';
import { CSP_CONTAINER_HEADER_LENGTH, CSP_MAX_PAYLOAD_LENGTH } from './limits';

// spec §1.5: the plaintext of every post-handshake frame box: type u8 ‖ 3 reserved bytes ‖ data.
export interface Container {
  readonly type: number;
  readonly data: Uint8Array;
}

/** `data` is a view into `bytes` (a freshly opened frame box that nobody else holds), not a copy. */
export function decodeContainer(bytes: Uint8Array): Container {
  if (bytes.length < CSP_CONTAINER_HEADER_LENGTH) {
    throw new ProtocolError(ProtocolErrorCode.TRUNCATED, 'container shorter than its 4-byte header');
  }
  if (bytes.length - CSP_CONTAINER_HEADER_LENGTH > CSP_MAX_PAYLOAD_LENGTH) {
    throw new ProtocolError(ProtocolErrorCode.TOO_LARGE, 'container data exceeds the frame limit');
  }
  // reserved bytes are ignored on receipt and written as zero (lenient like the clients)
  return { type: bytes[0], data: bytes.subarray(CSP_CONTAINER_HEADER_LENGTH) };
}

export function encodeContainer(type: number, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(CSP_CONTAINER_HEADER_LENGTH + data.length);
  return encodeContainerInto(bytes, type, data);
}

/**
 * Writes the container into the start of `out` (at least 4 + data length bytes; the reserved bytes are zeroed)
 * and returns that part of it: for a sender that seals it at once and reuses `out`.
 */
export function encodeContainerInto(out: Uint8Array, type: number, data: Uint8Array): Uint8Array {
  if (!Number.isInteger(type) || type < 0 || type > 0xff) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'container type must be a byte');
  }
  if (data.length > CSP_MAX_PAYLOAD_LENGTH) {
    throw new ProtocolError(ProtocolErrorCode.TOO_LARGE, 'container data exceeds the frame limit');
  }
  out[0] = type;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
  out.set(data, CSP_CONTAINER_HEADER_LENGTH);
  return out.subarray(0, CSP_CONTAINER_HEADER_LENGTH + data.length);
}
