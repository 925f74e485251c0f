import sodium from 'sodium-native';

import { asBuffer, readU32LE } from './bytes';
import { CryptoError, CryptoErrorCode } from './crypto-error';
import {
  BLAKE2B_256_LENGTH,
  BLAKE2B_MAX_KEY_LENGTH,
  BLAKE2B_PERSONAL_LENGTH,
  BLAKE2B_SALT_LENGTH,
} from './sizes';

// BLAKE2b per RFC 7693 with the full parameter block. We implement it because the protocol's
// key derivations need salt and personal (spec §1.3, §2.4, §4.2) and sodium-native 5 does not expose
// crypto_generichash_blake2b_salt_personal; without salt and personal, libsodium's crypto_generichash does the
// work. 64-bit words are held as (low, high) pairs of 32-bit words.

const BLOCK_LENGTH = 128;
const MAX_OUTPUT_LENGTH = 64;

// prettier-ignore
const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

// prettier-ignore
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
] as const;

const TWO_POW_32 = 0x1_0000_0000;

export interface Blake2bOptions {
  /** 0..64 bytes; empty or absent means unkeyed. */
  readonly key?: Uint8Array;
  /** Up to 16 bytes (a string is UTF-8 encoded), zero-padded to 16 (spec §1.3). */
  readonly salt?: Uint8Array | string;
  /** Up to 16 bytes (a string is UTF-8 encoded), zero-padded to 16 (spec §1.3). */
  readonly personal?: Uint8Array | string;
}

// Working state, shared by every call (single-threaded, never re-entered) and wiped after each hash: a login
// computes three BLAKE2b hashes per side, and allocating these per compression was most of their cost.
const V = new Uint32Array(32);
const M = new Uint32Array(32);
const H = new Uint32Array(16);
const BLOCK = new Uint8Array(BLOCK_LENGTH);
/** SIGMA as indices into the (low, high) word pairs of M */
const SIGMA_WORDS = Uint8Array.from(SIGMA.flat(), (index) => index * 2);

/** V[a] += V[b] on 64-bit words at even indices a and b. */
function add64(a: number, b: number): void {
  const low = V[a] + V[b];
  V[a + 1] = V[a + 1] + V[b + 1] + (low >= TWO_POW_32 ? 1 : 0);
  V[a] = low;
}

/** V[a] += M[i] (64-bit). */
function add64Message(a: number, i: number): void {
  const low = V[a] + M[i];
  V[a + 1] = V[a + 1] + M[i + 1] + (low >= TWO_POW_32 ? 1 : 0);
  V[a] = low;
}

/** The G mixing function of RFC 7693 §3.1 with rotations 32, 24, 16 and 63. */
function mix(a: number, b: number, c: number, d: number, x: number, y: number): void {
  add64(a, b);
  add64Message(a, x);
  let low = V[d] ^ V[a];
  let high = V[d + 1] ^ V[a + 1];
  V[d] = high;
  V[d + 1] = low;

  add64(c, d);
  low = V[b] ^ V[c];
  high = V[b + 1] ^ V[c + 1];
  V[b] = (low >>> 24) ^ (high << 8);
  V[b + 1] = (high >>> 24) ^ (low << 8);

  add64(a, b);
  add64Message(a, y);
  low = V[d] ^ V[a];
  high = V[d + 1] ^ V[a + 1];
  V[d] = (low >>> 16) ^ (high << 16);
  V[d + 1] = (high >>> 16) ^ (low << 16);

  add64(c, d);
  low = V[b] ^ V[c];
  high = V[b + 1] ^ V[c + 1];
  V[b] = (high >>> 31) ^ (low << 1);
  V[b + 1] = (low >>> 31) ^ (high << 1);
}

/**
 * RFC 7693 §3.2 compression F of the 128-byte block at `offset` of `bytes` into H; `counter` is the byte count
 * including this block.
 */
function compress(bytes: Uint8Array, offset: number, counter: number, isLast: boolean): void {
  for (let i = 0; i < 32; i++) M[i] = readU32LE(bytes, offset + i * 4);
  for (let i = 0; i < 16; i++) {
    V[i] = H[i];
    V[i + 16] = IV[i];
  }
  V[24] ^= counter % TWO_POW_32;
  V[25] ^= Math.floor(counter / TWO_POW_32);
  if (isLast) {
    V[28] = ~V[28];
    V[29] = ~V[29];
  }
  for (let s = 0; s < SIGMA_WORDS.length; s += 16) {
    mix(0, 8, 16, 24, SIGMA_WORDS[s], SIGMA_WORDS[s + 1]);
    mix(2, 10, 18, 26, SIGMA_WORDS[s + 2], SIGMA_WORDS[s + 3]);
    mix(4, 12, 20, 28, SIGMA_WORDS[s + 4], SIGMA_WORDS[s + 5]);
    mix(6, 14, 22, 30, SIGMA_WORDS[s + 6], SIGMA_WORDS[s + 7]);
    mix(0, 10, 20, 30, SIGMA_WORDS[s + 8], SIGMA_WORDS[s + 9]);
    mix(2, 12, 22, 24, SIGMA_WORDS[s + 10], SIGMA_WORDS[s + 11]);
    mix(4, 14, 16, 26, SIGMA_WORDS[s + 12], SIGMA_WORDS[s + 13]);
    mix(6, 8, 18, 28, SIGMA_WORDS[s + 14], SIGMA_WORDS[s + 15]);
  }
  for (let i = 0; i < 16; i++) H[i] ^= V[i] ^ V[i + 16];
}

function paddedField(value: Uint8Array | string | undefined, length: number, what: string): Uint8Array {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : (value ?? new Uint8Array(0));
  if (bytes.length > length) {
    throw new CryptoError(CryptoErrorCode.INVALID_LENGTH, `BLAKE2b ${what} must be at most ${length} bytes`);
  }
  const padded = new Uint8Array(length);
  padded.set(bytes);
  return padded;
}

const isEmpty = (value: Uint8Array | string | undefined): boolean =>
  value === undefined || value.length === 0;

/** RFC 7693 §2.5 parameter block into H: digest length, key length, fanout 1, depth 1, salt, personal. */
function initialState(outputLength: number, keyLength: number, salt: Uint8Array, personal: Uint8Array): void {
  H.set(IV);
  H[0] ^= outputLength | (keyLength << 8) | (1 << 16) | (1 << 24);
  for (let i = 0; i < 4; i++) {
    H[8 + i] ^= readU32LE(salt, i * 4);
    H[12 + i] ^= readU32LE(personal, i * 4);
  }
}

/** BLAKE2b with an output of 1..64 bytes, optional key (≤64 bytes), salt and personal (≤16 bytes each). */
export function blake2b(input: Uint8Array, outputLength: number, options: Blake2bOptions = {}): Uint8Array {
  if (!Number.isInteger(outputLength) || outputLength < 1 || outputLength > MAX_OUTPUT_LENGTH) {
    throw new CryptoError(
      CryptoErrorCode.INVALID_LENGTH,
      `BLAKE2b output must be 1..${MAX_OUTPUT_LENGTH} bytes`,
    );
  }
  const key = options.key ?? new Uint8Array(0);
  if (key.length > BLAKE2B_MAX_KEY_LENGTH) {
    throw new CryptoError(
      CryptoErrorCode.INVALID_LENGTH,
      `BLAKE2b key must be at most ${BLAKE2B_MAX_KEY_LENGTH} bytes`,
    );
  }
  // without salt and personal this is libsodium's crypto_generichash, where its length limits allow
  if (
    isEmpty(options.salt) &&
    isEmpty(options.personal) &&
    outputLength >= sodium.crypto_generichash_BYTES_MIN &&
    (key.length === 0 || key.length >= sodium.crypto_generichash_KEYBYTES_MIN)
  ) {
    // its own memory rather than a slice of Node's shared pool (a derived key may be kept for long)
    const out = Buffer.alloc(outputLength);
    if (key.length === 0) sodium.crypto_generichash(out, asBuffer(input));
    else sodium.crypto_generichash(out, asBuffer(input), asBuffer(key));
    return out;
  }
  const salt = paddedField(options.salt, BLAKE2B_SALT_LENGTH, 'salt');
  const personal = paddedField(options.personal, BLAKE2B_PERSONAL_LENGTH, 'personal');
  initialState(outputLength, key.length, salt, personal);

  // A key is processed as a first block of its own, zero-padded to 128 bytes (RFC 7693 §3.3); the last block
  // (possibly the key block, or empty) is always compressed with the final flag, zero-padded.
  const totalLength = (key.length > 0 ? BLOCK_LENGTH : 0) + input.length;
  if (key.length > 0) {
    BLOCK.set(key);
    if (input.length > 0) {
      compress(BLOCK, 0, BLOCK_LENGTH, false);
      BLOCK.fill(0);
    }
  }
  let offset = 0;
  let counter = key.length > 0 ? BLOCK_LENGTH : 0;
  while (input.length - offset > BLOCK_LENGTH) {
    counter += BLOCK_LENGTH;
    compress(input, offset, counter, false);
    offset += BLOCK_LENGTH;
  }
  if (input.length > 0) BLOCK.set(input.subarray(offset));
  compress(BLOCK, 0, totalLength, true);

  const out = Buffer.alloc(outputLength);
  for (let i = 0; i < outputLength; i++) out[i] = H[i >> 2] >>> (8 * (i & 3));
  V.fill(0);
  M.fill(0);
  H.fill(0);
  BLOCK.fill(0);
  return out;
}

/** BLAKE2b-256, the only output length the protocol uses (spec §1.3, §2.4, §4.2). */
export function blake2b256(input: Uint8Array, options: Blake2bOptions = {}): Uint8Array {
  return blake2b(input, BLAKE2B_256_LENGTH, options);
}
