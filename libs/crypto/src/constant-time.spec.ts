import { constantTimeEqual } from './constant-time';

describe('constantTimeEqual', () => {
  it('is true for equal bytes, including two empty arrays', () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Buffer.from([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('is false when any byte differs', () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
  });

  it('is false without throwing when the lengths differ', () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2))).toBe(false);
  });

  it('compares subarray views by their own bytes only', () => {
    const backing = Uint8Array.of(9, 1, 2, 9);
    expect(constantTimeEqual(backing.subarray(1, 3), Uint8Array.of(1, 2))).toBe(true);
  });
});
