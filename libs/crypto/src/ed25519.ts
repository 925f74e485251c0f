import sodium from 'sodium-native';

import { asBuffer, requireLength } from './bytes';
import {
  ED25519_PUBLIC_KEY_LENGTH,
  ED25519_SECRET_KEY_LENGTH,
  ED25519_SEED_LENGTH,
  ED25519_SIGNATURE_LENGTH,
} from './sizes';

export interface Ed25519KeyPair {
  readonly publicKey: Uint8Array;
  /** libsodium layout: seed(32) ‖ public key(32). */
  readonly secretKey: Uint8Array;
}

/** A random key pair, or a deterministic one from a 32-byte seed (used for fixtures and stored signing keys). */
export function generateEd25519KeyPair(seed?: Uint8Array): Ed25519KeyPair {
  const publicKey = Buffer.alloc(ED25519_PUBLIC_KEY_LENGTH);
  const secretKey = Buffer.alloc(ED25519_SECRET_KEY_LENGTH);
  if (seed === undefined) {
    sodium.crypto_sign_keypair(publicKey, secretKey);
  } else {
    requireLength(seed, ED25519_SEED_LENGTH, 'Ed25519 seed');
    sodium.crypto_sign_seed_keypair(publicKey, secretKey, asBuffer(seed));
  }
  return { publicKey, secretKey };
}

/** Detached Ed25519 signature (64 bytes), e.g. over an OPPF's JSON text (spec §9.4). */
export function ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  requireLength(secretKey, ED25519_SECRET_KEY_LENGTH, 'Ed25519 secret key');
  const signature = Buffer.alloc(ED25519_SIGNATURE_LENGTH);
  sodium.crypto_sign_detached(signature, asBuffer(message), asBuffer(secretKey));
  return signature;
}

/**
 * Verifies a detached signature. A signature of the wrong size is untrusted input and simply fails;
 * a public key of the wrong size is a caller bug and throws INVALID_LENGTH.
 */
export function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  requireLength(publicKey, ED25519_PUBLIC_KEY_LENGTH, 'Ed25519 public key');
  if (signature.length !== ED25519_SIGNATURE_LENGTH) return false;
  return sodium.crypto_sign_verify_detached(asBuffer(signature), asBuffer(message), asBuffer(publicKey));
}
