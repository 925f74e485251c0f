import sodium from 'sodium-native';

import { asBuffer, requireLength } from './bytes';
import { CryptoError, CryptoErrorCode } from './crypto-error';
import { hsalsa20 } from './hsalsa20';
import { X25519_PUBLIC_KEY_LENGTH, X25519_SECRET_KEY_LENGTH } from './sizes';

export interface X25519KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

const HSALSA20_ZERO_INPUT = new Uint8Array(16);

export function generateX25519KeyPair(): X25519KeyPair {
  const publicKey = Buffer.alloc(X25519_PUBLIC_KEY_LENGTH);
  const secretKey = Buffer.alloc(X25519_SECRET_KEY_LENGTH);
  sodium.crypto_box_keypair(publicKey, secretKey);
  return { publicKey, secretKey };
}

export function x25519PublicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  requireLength(secretKey, X25519_SECRET_KEY_LENGTH, 'X25519 secret key');
  const publicKey = Buffer.alloc(X25519_PUBLIC_KEY_LENGTH);
  sodium.crypto_scalarmult_base(publicKey, asBuffer(secretKey));
  return publicKey;
}

/**
 * X25519HSalsa20(a.secret, b.public) = NaCl crypto_box_beforenm: the XSalsa20-Poly1305 key of every
 * box in the protocol (spec §1.2). Symmetric: X25519HSalsa20(a.secret, b.public) = X25519HSalsa20(b.secret, a.public).
 * Throws WEAK_PUBLIC_KEY for a low-order public key (all-zero shared point), as libsodium does.
 */
export function x25519HSalsa20(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  requireLength(secretKey, X25519_SECRET_KEY_LENGTH, 'X25519 secret key');
  requireLength(publicKey, X25519_PUBLIC_KEY_LENGTH, 'X25519 public key');
  const sharedPoint = Buffer.alloc(32);
  try {
    // libsodium returns -1 (sodium-native throws) when the result is all zeros
    sodium.crypto_scalarmult(sharedPoint, asBuffer(secretKey), asBuffer(publicKey));
  } catch {
    throw new CryptoError(
      CryptoErrorCode.WEAK_PUBLIC_KEY,
      'X25519 public key yields an all-zero shared secret',
    );
  }
  if (sodium.sodium_is_zero(sharedPoint, sharedPoint.length)) {
    throw new CryptoError(
      CryptoErrorCode.WEAK_PUBLIC_KEY,
      'X25519 public key yields an all-zero shared secret',
    );
  }
  const key = hsalsa20(sharedPoint, HSALSA20_ZERO_INPUT);
  sodium.sodium_memzero(sharedPoint);
  return key;
}
