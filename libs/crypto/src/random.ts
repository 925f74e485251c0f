import sodium from 'sodium-native';

import { asBuffer } from './bytes';

/** Cryptographically secure random bytes from libsodium's CSPRNG. */
export function randomBytes(length: number): Uint8Array {
  const out = Buffer.alloc(length);
  sodium.randombytes_buf(out);
  return out;
}

/** Overwrites `bytes` with zeros in a way the optimiser cannot drop, to erase keys after use. */
export function memzero(bytes: Uint8Array): void {
  sodium.sodium_memzero(asBuffer(bytes));
}
