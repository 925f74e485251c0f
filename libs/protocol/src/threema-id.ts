import { ProtocolError, ProtocolErrorCode } from './protocol-error';

export const THREEMA_ID_LENGTH = 8;

// spec §3: first character [0-9A-Z*] (a "*" marks Gateway/special IDs), then seven [0-9A-Z]
const THREEMA_ID_PATTERN = /^[0-9A-Z*][0-9A-Z]{7}$/;

export function isThreemaId(value: string): boolean {
  return THREEMA_ID_PATTERN.test(value);
}

/** Reads an 8-byte ASCII identity field; anything but a valid Threema ID is INVALID_FIELD. */
export function decodeThreemaId(bytes: Uint8Array, field: string): string {
  const identity = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!isThreemaId(identity)) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, `${field} is not a valid Threema ID`);
  }
  return identity;
}

export function encodeThreemaId(identity: string, field: string): Uint8Array {
  if (!isThreemaId(identity)) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, `${field} is not a valid Threema ID`);
  }
  return Buffer.from(identity, 'ascii');
}
