import { cryptoErrorCodeOf } from '../test/error-code';
import { filled, fromHex, hex } from '../test/hex';
import { handshake, incomingMessage } from '../test/spec-vectors';
import { CryptoErrorCode } from './crypto-error';
import { generateX25519KeyPair, x25519HSalsa20, x25519PublicKeyFromSecret } from './x25519';

describe('x25519PublicKeyFromSecret', () => {
  it.each([
    ['SK', handshake.serverSecretKey, handshake.serverPublicKey],
    ['TSK', handshake.serverTemporarySecretKey, handshake.serverTemporaryPublicKey],
    ['TCK', handshake.clientTemporarySecretKey, handshake.clientTemporaryPublicKey],
    ['0HPT9EWD', incomingMessage.receiverSecretKey, hex(incomingMessage.receiverPublicKey)],
  ])('derives the spec §11 public key of %s', (_name, secretKey, publicKey) => {
    expect(hex(x25519PublicKeyFromSecret(secretKey))).toBe(publicKey);
  });

  it('rejects a secret key of the wrong size', () => {
    expect(cryptoErrorCodeOf(() => x25519PublicKeyFromSecret(new Uint8Array(33)))).toBe(
      CryptoErrorCode.INVALID_LENGTH,
    );
  });
});

describe('generateX25519KeyPair', () => {
  it('returns a fresh pair whose public key matches its secret key', () => {
    const a = generateX25519KeyPair();
    const b = generateX25519KeyPair();
    expect(hex(x25519PublicKeyFromSecret(a.secretKey))).toBe(hex(a.publicKey));
    expect(hex(a.secretKey)).not.toBe(hex(b.secretKey));
  });
});

describe('x25519HSalsa20', () => {
  it('equals crypto_box_beforenm for the NaCl test keys (alice secret, bob public)', () => {
    const aliceSecret = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPublic = fromHex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    expect(hex(x25519HSalsa20(aliceSecret, bobPublic))).toBe(
      '1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389',
    );
  });

  it('reproduces the spec §11.2 session key X25519HSalsa20(TCK, TSK) from both sides', () => {
    const clientSide = x25519HSalsa20(
      handshake.clientTemporarySecretKey,
      fromHex(handshake.serverTemporaryPublicKey),
    );
    const serverSide = x25519HSalsa20(
      handshake.serverTemporarySecretKey,
      fromHex(handshake.clientTemporaryPublicKey),
    );
    expect(hex(clientSide)).toBe(handshake.sessionKey);
    expect(hex(serverSide)).toBe(handshake.sessionKey);
  });

  it('reproduces the spec §11.1.1 message key from both sides', () => {
    const receiverSide = x25519HSalsa20(incomingMessage.receiverSecretKey, incomingMessage.senderPublicKey);
    expect(hex(receiverSide)).toBe(incomingMessage.sharedKey);
  });

  it.each([
    ['the all-zero point', filled(32, 0)],
    [
      'the point of order 1 (u = 1)',
      fromHex('0100000000000000000000000000000000000000000000000000000000000000'),
    ],
    ['a point of order 8', fromHex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800')],
  ])('rejects %s as a weak public key', (_name, publicKey) => {
    expect(cryptoErrorCodeOf(() => x25519HSalsa20(handshake.serverSecretKey, publicKey))).toBe(
      CryptoErrorCode.WEAK_PUBLIC_KEY,
    );
  });

  it('rejects keys of the wrong size', () => {
    expect(cryptoErrorCodeOf(() => x25519HSalsa20(new Uint8Array(32), new Uint8Array(31)))).toBe(
      CryptoErrorCode.INVALID_LENGTH,
    );
  });
});
