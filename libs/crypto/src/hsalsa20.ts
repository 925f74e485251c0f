import { readU32LE, requireLength } from './bytes';

// "expand 32-byte k" as little-endian words; NaCl's crypto_box_beforenm uses this sigma constant.
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574] as const;

function putWord(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value;
  out[offset + 1] = value >>> 8;
  out[offset + 2] = value >>> 16;
  out[offset + 3] = value >>> 24;
}

/**
 * HSalsa20(key, input): the Salsa20 core without the final feed-forward, returning words 0,5,10,15,6,7,8,9.
 * sodium-native 5 exposes neither crypto_core_hsalsa20 nor crypto_box_beforenm, so we compute it here. The state
 * lives in local variables (no arrays to wipe): every login runs this three to four times per side.
 */
export function hsalsa20(key: Uint8Array, input: Uint8Array): Uint8Array {
  requireLength(key, 32, 'HSalsa20 key');
  requireLength(input, 16, 'HSalsa20 input');
  let x0 = SIGMA[0];
  let x1 = readU32LE(key, 0);
  let x2 = readU32LE(key, 4);
  let x3 = readU32LE(key, 8);
  let x4 = readU32LE(key, 12);
  let x5 = SIGMA[1];
  let x6 = readU32LE(input, 0);
  let x7 = readU32LE(input, 4);
  let x8 = readU32LE(input, 8);
  let x9 = readU32LE(input, 12);
  let x10 = SIGMA[2];
  let x11 = readU32LE(key, 16);
  let x12 = readU32LE(key, 20);
  let x13 = readU32LE(key, 24);
  let x14 = readU32LE(key, 28);
  let x15 = SIGMA[3];
  let u: number;
  // 20 rounds = 10 double rounds; each quarter-round is b ^= (a+d)<<<7, c ^= (b+a)<<<9, d ^= (c+b)<<<13,
  // a ^= (d+c)<<<18 (all modulo 2^32)
  for (let round = 0; round < 20; round += 2) {
    // column round: (0,4,8,12) (5,9,13,1) (10,14,2,6) (15,3,7,11)
    u = (x0 + x12) | 0;
    x4 ^= (u << 7) | (u >>> 25);
    u = (x4 + x0) | 0;
    x8 ^= (u << 9) | (u >>> 23);
    u = (x8 + x4) | 0;
    x12 ^= (u << 13) | (u >>> 19);
    u = (x12 + x8) | 0;
    x0 ^= (u << 18) | (u >>> 14);

    u = (x5 + x1) | 0;
    x9 ^= (u << 7) | (u >>> 25);
    u = (x9 + x5) | 0;
    x13 ^= (u << 9) | (u >>> 23);
    u = (x13 + x9) | 0;
    x1 ^= (u << 13) | (u >>> 19);
    u = (x1 + x13) | 0;
    x5 ^= (u << 18) | (u >>> 14);

    u = (x10 + x6) | 0;
    x14 ^= (u << 7) | (u >>> 25);
    u = (x14 + x10) | 0;
    x2 ^= (u << 9) | (u >>> 23);
    u = (x2 + x14) | 0;
    x6 ^= (u << 13) | (u >>> 19);
    u = (x6 + x2) | 0;
    x10 ^= (u << 18) | (u >>> 14);

    u = (x15 + x11) | 0;
    x3 ^= (u << 7) | (u >>> 25);
    u = (x3 + x15) | 0;
    x7 ^= (u << 9) | (u >>> 23);
    u = (x7 + x3) | 0;
    x11 ^= (u << 13) | (u >>> 19);
    u = (x11 + x7) | 0;
    x15 ^= (u << 18) | (u >>> 14);

    // row round: (0,1,2,3) (5,6,7,4) (10,11,8,9) (15,12,13,14)
    u = (x0 + x3) | 0;
    x1 ^= (u << 7) | (u >>> 25);
    u = (x1 + x0) | 0;
    x2 ^= (u << 9) | (u >>> 23);
    u = (x2 + x1) | 0;
    x3 ^= (u << 13) | (u >>> 19);
    u = (x3 + x2) | 0;
    x0 ^= (u << 18) | (u >>> 14);

    u = (x5 + x4) | 0;
    x6 ^= (u << 7) | (u >>> 25);
    u = (x6 + x5) | 0;
    x7 ^= (u << 9) | (u >>> 23);
    u = (x7 + x6) | 0;
    x4 ^= (u << 13) | (u >>> 19);
    u = (x4 + x7) | 0;
    x5 ^= (u << 18) | (u >>> 14);

    u = (x10 + x9) | 0;
    x11 ^= (u << 7) | (u >>> 25);
    u = (x11 + x10) | 0;
    x8 ^= (u << 9) | (u >>> 23);
    u = (x8 + x11) | 0;
    x9 ^= (u << 13) | (u >>> 19);
    u = (x9 + x8) | 0;
    x10 ^= (u << 18) | (u >>> 14);

    u = (x15 + x14) | 0;
    x12 ^= (u << 7) | (u >>> 25);
    u = (x12 + x15) | 0;
    x13 ^= (u << 9) | (u >>> 23);
    u = (x13 + x12) | 0;
    x14 ^= (u << 13) | (u >>> 19);
    u = (x14 + x13) | 0;
    x15 ^= (u << 18) | (u >>> 14);
  }
  // its own memory, not a slice of Node's shared pool: a key kept for long (e.g. a cached SS1) would pin a pool slab
  const out = Buffer.alloc(32);
  putWord(out, 0, x0);
  putWord(out, 4, x5);
  putWord(out, 8, x10);
  putWord(out, 12, x15);
  putWord(out, 16, x6);
  putWord(out, 20, x7);
  putWord(out, 24, x8);
  putWord(out, 28, x9);
  return out;
}
