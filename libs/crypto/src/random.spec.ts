import { hex } from '../test/hex';
import { memzero, randomBytes } from './random';

describe('randomBytes', () => {
  it('returns the requested number of bytes, different each call', () => {
    const a = randomBytes(32);
    expect(a).toHaveLength(32);
    expect(hex(a)).not.toBe(hex(randomBytes(32)));
  });
});

describe('memzero', () => {
  it('erases a plain Uint8Array and a subarray view in place', () => {
    const key = Uint8Array.of(1, 2, 3, 4);
    memzero(key.subarray(1, 3));
    expect(Array.from(key)).toEqual([1, 0, 0, 4]);
    memzero(key);
    expect(Array.from(key)).toEqual([0, 0, 0, 0]);
  });
});
