import { blake2b256 } from '../blake2b';
import { requireLength } from '../bytes';
import { memzero } from '../random';
import { SYMMETRIC_KEY_LENGTH, X25519_PUBLIC_KEY_LENGTH } from '../sizes';

const COOKIE_LENGTH = 16;
const EMPTY = new Uint8Array(0);

/**
 * spec §1.3 vouch: VouchKey = BLAKE2b-256(key = SS1 ‖ SS2, salt "v2", personal "3ma-csp", empty input).
 * SS1 = X25519HSalsa20(CK, SK) and SS2 = X25519HSalsa20(CK, TSK); the client computes them with CK.secret,
 * the server with SK.secret / TSK.secret and CK.public — both sides get the same values.
 */
export function deriveVouchKey(
  permanentSharedSecret: Uint8Array,
  temporarySharedSecret: Uint8Array,
): Uint8Array {
  requireLength(permanentSharedSecret, SYMMETRIC_KEY_LENGTH, 'SS1 (X25519HSalsa20 of CK and SK)');
  requireLength(temporarySharedSecret, SYMMETRIC_KEY_LENGTH, 'SS2 (X25519HSalsa20 of CK and TSK)');
  const key = new Uint8Array(2 * SYMMETRIC_KEY_LENGTH);
  key.set(permanentSharedSecret, 0);
  key.set(temporarySharedSecret, SYMMETRIC_KEY_LENGTH);
  const vouchKey = blake2b256(EMPTY, { key, salt: 'v2', personal: '3ma-csp' });
  memzero(key);
  return vouchKey;
}

/** spec §1.3 vouch = BLAKE2b-256(key = VouchKey, input = SCK ‖ TCK.public), no salt or personal. */
export function computeVouch(
  vouchKey: Uint8Array,
  serverCookie: Uint8Array,
  clientTemporaryPublicKey: Uint8Array,
): Uint8Array {
  requireLength(vouchKey, SYMMETRIC_KEY_LENGTH, 'VouchKey');
  requireLength(serverCookie, COOKIE_LENGTH, 'server cookie (SCK)');
  requireLength(clientTemporaryPublicKey, X25519_PUBLIC_KEY_LENGTH, 'client temporary public key (TCK)');
  const input = new Uint8Array(COOKIE_LENGTH + X25519_PUBLIC_KEY_LENGTH);
  input.set(serverCookie, 0);
  input.set(clientTemporaryPublicKey, COOKIE_LENGTH);
  return blake2b256(input, { key: vouchKey });
}
