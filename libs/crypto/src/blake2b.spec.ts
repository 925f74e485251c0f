import sodium from 'sodium-native';

import { cryptoErrorCodeOf } from '../test/error-code';
import { hex } from '../test/hex';
import { blake2b, blake2b256 } from './blake2b';
import { CryptoErrorCode } from './crypto-error';

function sodiumBlake2b(input: Uint8Array, outputLength: number, key?: Uint8Array): string {
  const out = Buffer.alloc(outputLength);
  if (key === undefined) sodium.crypto_generichash(out, Buffer.from(input));
  else sodium.crypto_generichash(out, Buffer.from(input), Buffer.from(key));
  return out.toString('hex');
}

function bytes(length: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i + seed) % 251);
}

describe('blake2b', () => {
  it('reproduces RFC 7693 Appendix A: BLAKE2b-512("abc")', () => {
    expect(hex(blake2b(Buffer.from('abc'), 64))).toBe(
      'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1' +
        '7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
    );
  });

  it.each([0, 1, 127, 128, 129, 255, 256, 257, 1000])(
    'matches libsodium crypto_generichash for %i input bytes, unkeyed and keyed',
    (length) => {
      const input = bytes(length);
      expect(hex(blake2b256(input))).toBe(sodiumBlake2b(input, 32));
      expect(hex(blake2b256(input, { key: bytes(64, 7) }))).toBe(sodiumBlake2b(input, 32, bytes(64, 7)));
      expect(hex(blake2b(input, 64, { key: bytes(16, 3) }))).toBe(sodiumBlake2b(input, 64, bytes(16, 3)));
    },
  );

  // Without salt and personal, blake2b hands the work to libsodium; an all-zero 16-byte salt means the same hash
  // but takes our own implementation, which these pin to libsodium's.
  it.each([0, 1, 127, 128, 129, 255, 256, 257, 1000])(
    'computes the same as libsodium in its own implementation for %i input bytes',
    (length) => {
      const input = bytes(length);
      const zeroSalt = new Uint8Array(16);
      expect(hex(blake2b256(input, { salt: zeroSalt }))).toBe(sodiumBlake2b(input, 32));
      expect(hex(blake2b256(input, { key: bytes(64, 7), personal: zeroSalt }))).toBe(
        sodiumBlake2b(input, 32, bytes(64, 7)),
      );
      expect(hex(blake2b(input, 64, { key: bytes(16, 3), salt: zeroSalt }))).toBe(
        sodiumBlake2b(input, 64, bytes(16, 3)),
      );
    },
  );

  it("computes outputs and keys below libsodium's minimum lengths itself (RFC 7693 parameter block)", () => {
    // BLAKE2b-128 is not a prefix of BLAKE2b-256: the output length is in the parameter block
    const input = bytes(200);
    expect(hex(blake2b(input, 8))).not.toBe(hex(blake2b(input, 32)).slice(0, 16));
    expect(blake2b(input, 8, { key: bytes(8) })).toHaveLength(8);
    expect(hex(blake2b(input, 32, { key: bytes(8) }))).not.toBe(hex(blake2b256(input)));
  });

  // Vectors computed with Python's hashlib.blake2b, which zero-pads salt and person like spec §1.3.
  it('applies a keyed, salted and personalised parameter block over several blocks (hashlib)', () => {
    expect(
      hex(
        blake2b256(bytes(300), {
          key: Uint8Array.from({ length: 64 }, (_, i) => i),
          salt: 'dir',
          personal: '3ma-csp',
        }),
      ),
    ).toBe('9dc835c9fc7e9a6740fd23e8148327114c44151dc90924faea822111edbcb718');
  });

  it('uses full 16-byte salt and personal fields verbatim (hashlib)', () => {
    const salt = Uint8Array.from({ length: 16 }, (_, i) => i);
    const personal = Uint8Array.from({ length: 16 }, (_, i) => 16 + i);
    expect(hex(blake2b256(bytes(128), { salt, personal }))).toBe(
      '55d5bb5611234b643b647259255319394ec8287638a8047e8702a2e86c7ae74d',
    );
  });

  it('treats a string salt like its zero-padded bytes (hashlib)', () => {
    const padded = new Uint8Array(16);
    padded.set(Buffer.from('mm'));
    const expected = '6b6bd30a76bd00079ab6ebcaeba8d3fcf63cfa779ae0c2765ec300800580c78e';
    expect(hex(blake2b256(new Uint8Array(0), { salt: 'mm', personal: '3ma-csp' }))).toBe(expected);
    expect(hex(blake2b256(new Uint8Array(0), { salt: padded, personal: '3ma-csp' }))).toBe(expected);
  });

  it.each([
    ['a 65-byte key', () => blake2b256(new Uint8Array(0), { key: new Uint8Array(65) })],
    ['a 17-byte salt', () => blake2b256(new Uint8Array(0), { salt: new Uint8Array(17) })],
    ['a 17-character personal', () => blake2b256(new Uint8Array(0), { personal: 'x'.repeat(17) })],
    ['an output of 0 bytes', () => blake2b(new Uint8Array(0), 0)],
    ['an output of 65 bytes', () => blake2b(new Uint8Array(0), 65)],
  ])('rejects %s', (_name, action) => {
    expect(cryptoErrorCodeOf(action)).toBe(CryptoErrorCode.INVALID_LENGTH);
  });
});
