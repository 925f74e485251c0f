import { constantTimeEqual, memzero, x25519HSalsa20 } from '@ots/crypto';

// spec §1.3: the v2 vouch is derived from SS1 = X25519HSalsa20(CK.secret, SK.public) and SS2 (with the server's
// temporary key). SS1 depends on nothing but the client's and the server's permanent keys, so a client that logs in
// again (a reconnect, a new connection per push) computes the same value every time: one X25519 of the four a
// login costs the client. It is remembered per secret-key object, as long as that object lives.

interface Remembered {
  /** copies, so that a key changed in place (or zeroed) is not mistaken for the one the secret was made from */
  readonly secretKey: Uint8Array;
  readonly serverPublicKey: Uint8Array;
  readonly sharedSecret: Uint8Array;
}

const remembered = new WeakMap<Uint8Array, Remembered>();

/**
 * SS1 for this client key and server key. The result belongs to the cache: read it, never keep or erase it.
 */
export function permanentSharedSecret(secretKey: Uint8Array, serverPublicKey: Uint8Array): Uint8Array {
  const known = remembered.get(secretKey);
  if (
    known &&
    constantTimeEqual(known.secretKey, secretKey) &&
    constantTimeEqual(known.serverPublicKey, serverPublicKey)
  ) {
    return known.sharedSecret;
  }
  const sharedSecret = x25519HSalsa20(secretKey, serverPublicKey);
  if (known) {
    memzero(known.secretKey);
    memzero(known.sharedSecret);
  }
  remembered.set(secretKey, {
    secretKey: Uint8Array.from(secretKey),
    serverPublicKey: Uint8Array.from(serverPublicKey),
    sharedSecret,
  });
  return sharedSecret;
}
