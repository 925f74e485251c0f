import { directoryChallenge, handshake } from '../../test/spec-vectors';
import { x25519HSalsa20, x25519PublicKeyFromSecret } from '../x25519';
import { directoryChallengeResponse } from './directory-challenge';

const token = Buffer.from(directoryChallenge.tokenBase64, 'base64');
const challengePublicKey = Buffer.from(directoryChallenge.challengePublicKeyBase64, 'base64');

describe('directoryChallengeResponse (spec §4.2, vector §11.2)', () => {
  it('has the documented challenge key pair and token', () => {
    expect(
      Buffer.from(x25519PublicKeyFromSecret(directoryChallenge.challengeSecretKey)).toString('base64'),
    ).toBe(directoryChallenge.challengePublicKeyBase64);
    expect(token[0]).toBe(0xff);
    expect(token).toHaveLength(32);
  });

  it('computes the response on the client side from CK.secret and CPK.public', () => {
    const sharedSecret = x25519HSalsa20(handshake.clientSecretKey, challengePublicKey);
    expect(Buffer.from(directoryChallengeResponse(sharedSecret, token)).toString('base64')).toBe(
      directoryChallenge.responseBase64,
    );
  });

  it('recomputes the same response on the server side from CPK.secret and CK.public', () => {
    const sharedSecret = x25519HSalsa20(directoryChallenge.challengeSecretKey, handshake.clientPublicKey);
    expect(Buffer.from(directoryChallengeResponse(sharedSecret, token, 'dir')).toString('base64')).toBe(
      directoryChallenge.responseBase64,
    );
  });

  it('gives a different response for the Work salt and for another token', () => {
    const sharedSecret = x25519HSalsa20(directoryChallenge.challengeSecretKey, handshake.clientPublicKey);
    const work = Buffer.from(directoryChallengeResponse(sharedSecret, token, 'wdir')).toString('base64');
    const otherToken = Buffer.from(directoryChallengeResponse(sharedSecret, token.subarray(1))).toString(
      'base64',
    );
    expect(work).not.toBe(directoryChallenge.responseBase64);
    expect(otherToken).not.toBe(directoryChallenge.responseBase64);
  });
});
