import { randomBytes } from '@ots/crypto';

// spec §3: a Threema ID is 8 characters, the first [0-9A-Z*], the rest [0-9A-Z]; `*` marks system identities.
const IDENTITY_PATTERN = /^[0-9A-Z*][0-9A-Z]{7}$/;
const ASSIGNABLE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const IDENTITY_LENGTH = 8;
// largest multiple of 36 below 256: bytes at or above it are redrawn so every character is equally likely
const UNBIASED_BYTE_LIMIT = 252;

export function isIdentityId(value: string): boolean {
  return IDENTITY_PATTERN.test(value);
}

/** A uniformly random ID from [0-9A-Z]{8}: never starting with `*`, which is reserved for system identities. */
export function randomIdentityId(random: (length: number) => Uint8Array = randomBytes): string {
  let id = '';
  while (id.length < IDENTITY_LENGTH) {
    for (const byte of random(IDENTITY_LENGTH * 2)) {
      if (byte >= UNBIASED_BYTE_LIMIT) continue;
      id += ASSIGNABLE_ALPHABET.charAt(byte % ASSIGNABLE_ALPHABET.length);
      if (id.length === IDENTITY_LENGTH) break;
    }
  }
  return id;
}
