import { requireLength } from './bytes';

// "expand 32-byte k" as little-endian words; NaCl's crypto_box_beforenm uses this sigma constant.
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574] as const;
const ROUNDS = 20;

function rotl(value: number, shift: number): number {
  return (value << shift) | (value >>> (32 - shift));
}

// Salsa20 quarter-round on state words a, b, c, d (Uint32Array wraps every store modulo 2^32).
function quarterRound(x: Uint32Array, a: number, b: number, c: number, d: number): void {
  x[b] ^= rotl(x[a] + x[d], 7);
  x[c] ^= rotl(x[b] + x[a], 9);
  x[d] ^= rotl(x[c] + x[b], 13);
  x[a] ^= rotl(x[d] + x[c], 18);
}

/**
 * HSalsa20(key, input): the Salsa20 core without the final feed-forward, returning words 0,5,10,15,6,7,8,9.
 * sodium-native 5 exposes neither crypto_core_hsalsa20 nor crypto_box_beforenm, so we compute it here.
 */
export function hsalsa20(key: Uint8Array, input: Uint8Array): Uint8Array {
  requireLength(key, 32, 'HSalsa20 key');
  requireLength(input, 16, 'HSalsa20 input');
  const keyView = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const inputView = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const x = new Uint32Array(16);
  x[0] = SIGMA[0];
  x[5] = SIGMA[1];
  x[10] = SIGMA[2];
  x[15] = SIGMA[3];
  for (let i = 0; i < 4; i++) {
    x[1 + i] = keyView.getUint32(i * 4, true);
    x[11 + i] = keyView.getUint32(16 + i * 4, true);
    x[6 + i] = inputView.getUint32(i * 4, true);
  }
  for (let round = 0; round < ROUNDS; round += 2) {
    // column round
    quarterRound(x, 0, 4, 8, 12);
    quarterRound(x, 5, 9, 13, 1);
    quarterRound(x, 10, 14, 2, 6);
    quarterRound(x, 15, 3, 7, 11);
    // row round
    quarterRound(x, 0, 1, 2, 3);
    quarterRound(x, 5, 6, 7, 4);
    quarterRound(x, 10, 11, 8, 9);
    quarterRound(x, 15, 12, 13, 14);
  }
  const out = Buffer.alloc(32);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((word, i) => {
    out.writeUInt32LE(x[word], i * 4);
  });
  x.fill(0);
  return out;
}
