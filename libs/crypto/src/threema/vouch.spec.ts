import { cryptoErrorCodeOf } from '../../test/error-code';
import { fromHex, hex } from '../../test/hex';
import { handshake } from '../../test/spec-vectors';
import { CryptoErrorCode } from '../crypto-error';
import { x25519HSalsa20 } from '../x25519';
import { computeVouch, deriveVouchKey } from './vouch';

describe('vouch (spec §1.3, vectors §11.2)', () => {
  it('derives the VouchKey and vouch on the client side from CK.secret', () => {
    const ss1 = x25519HSalsa20(handshake.clientSecretKey, fromHex(handshake.serverPublicKey));
    const ss2 = x25519HSalsa20(handshake.clientSecretKey, fromHex(handshake.serverTemporaryPublicKey));
    const vouchKey = deriveVouchKey(ss1, ss2);
    expect(hex(vouchKey)).toBe(handshake.vouchKey);
    expect(
      hex(computeVouch(vouchKey, handshake.serverCookie, fromHex(handshake.clientTemporaryPublicKey))),
    ).toBe(handshake.vouch);
  });

  it('derives the same values on the server side from SK.secret, TSK.secret and CK.public', () => {
    const ss1 = x25519HSalsa20(handshake.serverSecretKey, handshake.clientPublicKey);
    const ss2 = x25519HSalsa20(handshake.serverTemporarySecretKey, handshake.clientPublicKey);
    const vouchKey = deriveVouchKey(ss1, ss2);
    expect(hex(vouchKey)).toBe(handshake.vouchKey);
    expect(
      hex(computeVouch(vouchKey, handshake.serverCookie, fromHex(handshake.clientTemporaryPublicKey))),
    ).toBe(handshake.vouch);
  });

  it('depends on the order of SS1 and SS2 and on the server cookie', () => {
    const ss1 = x25519HSalsa20(handshake.serverSecretKey, handshake.clientPublicKey);
    const ss2 = x25519HSalsa20(handshake.serverTemporarySecretKey, handshake.clientPublicKey);
    expect(hex(deriveVouchKey(ss2, ss1))).not.toBe(handshake.vouchKey);
    const vouchKey = fromHex(handshake.vouchKey);
    expect(
      hex(computeVouch(vouchKey, handshake.clientCookie, fromHex(handshake.clientTemporaryPublicKey))),
    ).not.toBe(handshake.vouch);
  });

  it('rejects inputs of the wrong size', () => {
    expect(cryptoErrorCodeOf(() => deriveVouchKey(new Uint8Array(32), new Uint8Array(31)))).toBe(
      CryptoErrorCode.INVALID_LENGTH,
    );
    expect(
      cryptoErrorCodeOf(() => computeVouch(new Uint8Array(32), new Uint8Array(15), new Uint8Array(32))),
    ).toBe(CryptoErrorCode.INVALID_LENGTH);
  });
});
