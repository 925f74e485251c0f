import { CryptoError, CryptoErrorCode } from './crypto-error';
import {
  BLAKE2B_256_LENGTH,
  BLAKE2B_MAX_KEY_LENGTH,
  BLAKE2B_PERSONAL_LENGTH,
  BLAKE2B_SALT_LENGTH,
} from './sizes';

// BLAKE2b per RFC 7693 with the full parameter block. We implement it because the protocol's
// key derivations need salt and personal (spec §1.3, §2.4, §4.2) and sodium-native 5 does not expose
// crypto_generichash_blake2b_salt_personal. 64-bit words are held as (low, high) pairs of 32-bit words.

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

/** v[a] += v[b] on 64-bit words at even indices a and b. */
function add64(v: Uint32Array, a: number, b: number): void {
  const low = v[a] + v[b];
  v[a + 1] = v[a + 1] + v[b + 1] + (low >= TWO_POW_32 ? 1 : 0);
  v[a] = low;
}

/** v[a] += m[i] (64-bit). */
function add64Message(v: Uint32Array, a: number, m: Uint32Array, i: number): void {
  const low = v[a] + m[i];
  v[a + 1] = v[a + 1] + m[i + 1] + (low >= TWO_POW_32 ? 1 : 0);
  v[a] = low;
}

/** The G mixing function of RFC 7693 §3.1 with rotations 32, 24, 16 and 63. */
function mix(
  v: Uint32Array,
  m: Uint32Array,
  a: number,
  b: number,
  c: number,
  d: number,
  x: number,
  y: number,
): void {
  add64(v, a, b);
  add64Message(v, a, m, x);
  let low = v[d] ^ v[a];
  let high = v[d + 1] ^ v[a + 1];
  v[d] = high;
  v[d + 1] = low;

  add64(v, c, d);
  low = v[b] ^ v[c];
  high = v[b + 1] ^ v[c + 1];
  v[b] = (low >>> 24) ^ (high << 8);
  v[b + 1] = (high >>> 24) ^ (low << 8);

  add64(v, a, b);
  add64Message(v, a, m, y);
  low = v[d] ^ v[a];
  high = v[d + 1] ^ v[a + 1];
  v[d] = (low >>> 16) ^ (high << 16);
  v[d + 1] = (high >>> 16) ^ (low << 16);

  add64(v, c, d);
  low = v[b] ^ v[c];
  high = v[b + 1] ^ v[c + 1];
  v[b] = (high >>> 31) ^ (low << 1);
  v[b + 1] = (low >>> 31) ^ (high << 1);
}

/** RFC 7693 §3.2 compression F of one 128-byte block; `counter` is the byte count including this block. */
function compress(h: Uint32Array, block: Uint8Array, counter: number, isLast: boolean): void {
  const v = new Uint32Array(32);
  const m = new Uint32Array(32);
  const view = new DataView(block.buffer, block.byteOffset, BLOCK_LENGTH);
  for (let i = 0; i < 32; i++) m[i] = view.getUint32(i * 4, true);
  v.set(h, 0);
  v.set(IV, 16);
  v[24] ^= counter % TWO_POW_32;
  v[25] ^= Math.floor(counter / TWO_POW_32);
  if (isLast) {
    v[28] = ~v[28];
    v[29] = ~v[29];
  }
  for (const s of SIGMA) {
    mix(v, m, 0, 8, 16, 24, s[0] * 2, s[1] * 2);
    mix(v, m, 2, 10, 18, 26, s[2] * 2, s[3] * 2);
    mix(v, m, 4, 12, 20, 28, s[4] * 2, s[5] * 2);
    mix(v, m, 6, 14, 22, 30, s[6] * 2, s[7] * 2);
    mix(v, m, 0, 10, 20, 30, s[8] * 2, s[9] * 2);
    mix(v, m, 2, 12, 22, 24, s[10] * 2, s[11] * 2);
    mix(v, m, 4, 14, 16, 26, s[12] * 2, s[13] * 2);
    mix(v, m, 6, 8, 18, 28, s[14] * 2, s[15] * 2);
  }
  for (let i = 0; i < 16; i++) h[i] ^= v[i] ^ v[i + 16];
  v.fill(0);
  m.fill(0);
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

/** RFC 7693 §2.5 parameter block: digest length, key length, fanout 1, depth 1, salt, personal. */
function initialState(
  outputLength: number,
  keyLength: number,
  salt: Uint8Array,
  personal: Uint8Array,
): Uint32Array {
  const parameters = new Uint8Array(64);
  parameters[0] = outputLength;
  parameters[1] = keyLength;
  parameters[2] = 1;
  parameters[3] = 1;
  parameters.set(salt, 32);
  parameters.set(personal, 48);
  const view = new DataView(parameters.buffer);
  const h = new Uint32Array(16);
  for (let i = 0; i < 16; i++) h[i] = IV[i] ^ view.getUint32(i * 4, true);
  return h;
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
  const salt = paddedField(options.salt, BLAKE2B_SALT_LENGTH, 'salt');
  const personal = paddedField(options.personal, BLAKE2B_PERSONAL_LENGTH, 'personal');
  const h = initialState(outputLength, key.length, salt, personal);

  // A key is processed as a first block of its own, zero-padded to 128 bytes (RFC 7693 §3.3).
  const data = new Uint8Array((key.length > 0 ? BLOCK_LENGTH : 0) + input.length);
  data.set(key, 0);
  data.set(input, key.length > 0 ? BLOCK_LENGTH : 0);

  const blockCount = Math.max(1, Math.ceil(data.length / BLOCK_LENGTH));
  for (let i = 0; i < blockCount - 1; i++) {
    compress(h, data.subarray(i * BLOCK_LENGTH, (i + 1) * BLOCK_LENGTH), (i + 1) * BLOCK_LENGTH, false);
  }
  const lastBlock = new Uint8Array(BLOCK_LENGTH);
  lastBlock.set(data.subarray((blockCount - 1) * BLOCK_LENGTH));
  compress(h, lastBlock, data.length, true);
  data.fill(0);
  lastBlock.fill(0);

  const digest = Buffer.alloc(MAX_OUTPUT_LENGTH);
  for (let i = 0; i < 16; i++) digest.writeUInt32LE(h[i], i * 4);
  h.fill(0);
  const out = Buffer.from(digest.subarray(0, outputLength));
  digest.fill(0);
  return out;
}

/** BLAKE2b-256, the only output length the protocol uses (spec §1.3, §2.4, §4.2). */
export function blake2b256(input: Uint8Array, options: Blake2bOptions = {}): Uint8Array {
  return blake2b(input, BLAKE2B_256_LENGTH, options);
}
