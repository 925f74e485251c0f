import { cryptoErrorCodeOf } from '../test/error-code';
import { fromHex, hex } from '../test/hex';
import { box, boxOpen, boxOpenPrecomputed, boxPrecomputed } from './box';
import { CryptoErrorCode } from './crypto-error';
import { randomBytes } from './random';
import { secretbox, secretboxInto, secretboxOpen } from './secretbox';
import { generateX25519KeyPair, x25519HSalsa20 } from './x25519';

const alice = generateX25519KeyPair();
const bob = generateX25519KeyPair();
const message = Buffer.from('Hello, Threema!', 'utf8');
const nonce = fromHex('69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37');

describe('box', () => {
  it('equals secretbox under the precomputed X25519HSalsa20 key (spec §1.2)', () => {
    const sharedKey = x25519HSalsa20(alice.secretKey, bob.publicKey);
    const boxed = box(message, nonce, bob.publicKey, alice.secretKey);
    expect(hex(boxed)).toBe(hex(secretbox(message, nonce, sharedKey)));
    expect(hex(boxed)).toBe(hex(boxPrecomputed(message, nonce, sharedKey)));
  });

  it('adds a 16-byte MAC and round-trips through boxOpen and boxOpenPrecomputed', () => {
    const boxed = box(message, nonce, bob.publicKey, alice.secretKey);
    expect(boxed).toHaveLength(message.length + 16);
    expect(Buffer.from(boxOpen(boxed, nonce, alice.publicKey, bob.secretKey)).toString('utf8')).toBe(
      'Hello, Threema!',
    );
    const sharedKey = x25519HSalsa20(bob.secretKey, alice.publicKey);
    expect(Buffer.from(boxOpenPrecomputed(boxed, nonce, sharedKey)).toString('utf8')).toBe('Hello, Threema!');
  });

  it('fails with DECRYPTION_FAILED for a flipped bit, a wrong nonce, a wrong key or a truncated box', () => {
    const boxed = box(message, nonce, bob.publicKey, alice.secretKey);
    const tampered = Uint8Array.from(boxed);
    tampered[20] ^= 0x01;
    const eve = generateX25519KeyPair();
    expect(cryptoErrorCodeOf(() => boxOpen(tampered, nonce, alice.publicKey, bob.secretKey))).toBe(
      CryptoErrorCode.DECRYPTION_FAILED,
    );
    expect(cryptoErrorCodeOf(() => boxOpen(boxed, randomBytes(24), alice.publicKey, bob.secretKey))).toBe(
      CryptoErrorCode.DECRYPTION_FAILED,
    );
    expect(cryptoErrorCodeOf(() => boxOpen(boxed, nonce, eve.publicKey, bob.secretKey))).toBe(
      CryptoErrorCode.DECRYPTION_FAILED,
    );
    expect(
      cryptoErrorCodeOf(() => boxOpen(boxed.subarray(0, 15), nonce, alice.publicKey, bob.secretKey)),
    ).toBe(CryptoErrorCode.DECRYPTION_FAILED);
  });

  it('refuses to box to a low-order public key', () => {
    expect(cryptoErrorCodeOf(() => box(message, nonce, new Uint8Array(32), alice.secretKey))).toBe(
      CryptoErrorCode.WEAK_PUBLIC_KEY,
    );
  });

  it('rejects a nonce or key of the wrong size', () => {
    expect(cryptoErrorCodeOf(() => box(message, new Uint8Array(23), bob.publicKey, alice.secretKey))).toBe(
      CryptoErrorCode.INVALID_LENGTH,
    );
    expect(cryptoErrorCodeOf(() => boxOpen(message, nonce, new Uint8Array(16), bob.secretKey))).toBe(
      CryptoErrorCode.INVALID_LENGTH,
    );
  });
});

describe('secretbox', () => {
  const key = randomBytes(32);

  it('writes the same box into a caller-given buffer, and refuses a buffer of the wrong length', () => {
    const out = new Uint8Array(message.length + 16 + 4).subarray(2, 2 + message.length + 16);
    secretboxInto(out, message, nonce, key);
    expect(Buffer.from(out)).toEqual(Buffer.from(secretbox(message, nonce, key)));
    expect(() => {
      secretboxInto(new Uint8Array(message.length + 15), message, nonce, key);
    }).toThrow('secretbox output must be');
  });

  it('round-trips, including an empty plaintext', () => {
    expect(Buffer.from(secretboxOpen(secretbox(message, nonce, key), nonce, key)).toString()).toBe(
      'Hello, Threema!',
    );
    const empty = secretbox(new Uint8Array(0), nonce, key);
    expect(empty).toHaveLength(16);
    expect(secretboxOpen(empty, nonce, key)).toHaveLength(0);
  });

  it('fails with DECRYPTION_FAILED under another key', () => {
    expect(
      cryptoErrorCodeOf(() => secretboxOpen(secretbox(message, nonce, key), nonce, randomBytes(32))),
    ).toBe(CryptoErrorCode.DECRYPTION_FAILED);
  });

  it('rejects a key of the wrong size', () => {
    expect(cryptoErrorCodeOf(() => secretbox(message, nonce, new Uint8Array(16)))).toBe(
      CryptoErrorCode.INVALID_LENGTH,
    );
  });
});
