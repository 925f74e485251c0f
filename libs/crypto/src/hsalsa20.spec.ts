import { fromHex, hex } from '../test/hex';
import { CryptoError } from './crypto-error';
import { hsalsa20 } from './hsalsa20';

describe('hsalsa20', () => {
  it('turns the NaCl test shared secret into the crypto_box_beforenm key (NaCl tests/core1.c)', () => {
    const sharedPoint = fromHex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
    expect(hex(hsalsa20(sharedPoint, new Uint8Array(16)))).toBe(
      '1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389',
    );
  });

  it('depends on the 16-byte input', () => {
    const key = new Uint8Array(32).fill(7);
    expect(hex(hsalsa20(key, new Uint8Array(16)))).not.toBe(hex(hsalsa20(key, new Uint8Array(16).fill(1))));
  });

  it('rejects a key or input of the wrong size', () => {
    expect(() => hsalsa20(new Uint8Array(31), new Uint8Array(16))).toThrow(CryptoError);
    expect(() => hsalsa20(new Uint8Array(32), new Uint8Array(15))).toThrow(CryptoError);
  });
});
