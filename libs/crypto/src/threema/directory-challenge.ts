import { blake2b256 } from '../blake2b';
import { requireLength } from '../bytes';
import { memzero } from '../random';
import { SYMMETRIC_KEY_LENGTH } from '../sizes';

/** spec §4.2: "dir" for the consumer directory, "wdir" for Work endpoints. */
export type DirectoryChallengeSalt = 'dir' | 'wdir';

/**
 * spec §4.2 current response: K = BLAKE2b-256(key = X25519HSalsa20(CK, CPK), salt, personal "3ma-csp"),
 * response = BLAKE2b-256(key = K, input = token). The client passes X25519HSalsa20(CK.secret, CPK.public),
 * the server X25519HSalsa20(CPK.secret, CK.public); the result is 32 bytes (sent as base64).
 */
export function directoryChallengeResponse(
  sharedSecret: Uint8Array,
  token: Uint8Array,
  salt: DirectoryChallengeSalt = 'dir',
): Uint8Array {
  requireLength(sharedSecret, SYMMETRIC_KEY_LENGTH, 'X25519HSalsa20 of CK and CPK');
  const authenticationKey = blake2b256(new Uint8Array(0), { key: sharedSecret, salt, personal: '3ma-csp' });
  const response = blake2b256(token, { key: authenticationKey });
  memzero(authenticationKey);
  return response;
}
