import { cryptoErrorCodeOf } from '../test/error-code';
import { fromHex, hex } from '../test/hex';
import { CryptoErrorCode } from './crypto-error';
import { ed25519Sign, ed25519Verify, generateEd25519KeyPair } from './ed25519';

// RFC 8032 §7.1 TEST 1 (empty message)
const seed = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const publicKey = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const signature =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

describe('ed25519', () => {
  it('derives the RFC 8032 key pair from its seed and reproduces its signature', () => {
    const keyPair = generateEd25519KeyPair(seed);
    expect(hex(keyPair.publicKey)).toBe(publicKey);
    expect(hex(ed25519Sign(new Uint8Array(0), keyPair.secretKey))).toBe(signature);
    expect(ed25519Verify(fromHex(signature), new Uint8Array(0), keyPair.publicKey)).toBe(true);
  });

  it('rejects a signature over another message, under another key, or of the wrong size', () => {
    const keyPair = generateEd25519KeyPair();
    const message = Buffer.from('{"version":"1.0"}');
    const signed = ed25519Sign(message, keyPair.secretKey);
    expect(ed25519Verify(signed, message, keyPair.publicKey)).toBe(true);
    expect(ed25519Verify(signed, Buffer.from('{"version":"1.1"}'), keyPair.publicKey)).toBe(false);
    expect(ed25519Verify(signed, message, generateEd25519KeyPair().publicKey)).toBe(false);
    expect(ed25519Verify(signed.subarray(0, 63), message, keyPair.publicKey)).toBe(false);
  });

  it('throws INVALID_LENGTH for a malformed key or seed', () => {
    expect(
      cryptoErrorCodeOf(() => ed25519Verify(new Uint8Array(64), new Uint8Array(0), new Uint8Array(31))),
    ).toBe(CryptoErrorCode.INVALID_LENGTH);
    expect(cryptoErrorCodeOf(() => ed25519Sign(new Uint8Array(0), new Uint8Array(32)))).toBe(
      CryptoErrorCode.INVALID_LENGTH,
    );
    expect(cryptoErrorCodeOf(() => generateEd25519KeyPair(new Uint8Array(31)))).toBe(
      CryptoErrorCode.INVALID_LENGTH,
    );
  });
});
