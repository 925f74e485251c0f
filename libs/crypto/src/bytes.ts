import { CryptoError, CryptoErrorCode } from './crypto-error';

/** A zero-copy Buffer view: sodium-native's typings want Buffer, our public API takes any Uint8Array. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Throws INVALID_LENGTH naming the input (`what`), never its value. */
export function requireLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) {
    throw new CryptoError(
      CryptoErrorCode.INVALID_LENGTH,
      `${what} must be ${length} bytes, got ${bytes.length}`,
    );
  }
}

/** The unsigned 32-bit little-endian word at `offset` (as a signed int32; typed-array stores and `>>> 0` wrap it). */
export function readU32LE(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24);
}
