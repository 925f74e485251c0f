import sodium from 'sodium-native';

import { asBuffer, requireLength } from './bytes';
import { CryptoError, CryptoErrorCode } from './crypto-error';
import { secretbox, secretboxInto, secretboxOpen } from './secretbox';
import { MAC_LENGTH, NONCE_LENGTH, X25519_PUBLIC_KEY_LENGTH, X25519_SECRET_KEY_LENGTH } from './sizes';

function requireBoxKeys(publicKey: Uint8Array, secretKey: Uint8Array): void {
  requireLength(publicKey, X25519_PUBLIC_KEY_LENGTH, 'X25519 public key');
  requireLength(secretKey, X25519_SECRET_KEY_LENGTH, 'X25519 secret key');
}

/** NaCl crypto_box_easy: XSalsa20-Poly1305 under X25519HSalsa20(senderSecret, recipientPublic) (spec §3). */
export function box(
  plaintext: Uint8Array,
  nonce: Uint8Array,
  recipientPublicKey: Uint8Array,
  senderSecretKey: Uint8Array,
): Uint8Array {
  requireLength(nonce, NONCE_LENGTH, 'nonce');
  requireBoxKeys(recipientPublicKey, senderSecretKey);
  const out = Buffer.alloc(plaintext.length + MAC_LENGTH);
  try {
    sodium.crypto_box_easy(
      out,
      asBuffer(plaintext),
      asBuffer(nonce),
      asBuffer(recipientPublicKey),
      asBuffer(senderSecretKey),
    );
  } catch {
    // the only failure left after the length checks: crypto_box_beforenm rejecting a low-order key
    throw new CryptoError(
      CryptoErrorCode.WEAK_PUBLIC_KEY,
      'X25519 public key yields an all-zero shared secret',
    );
  }
  return out;
}

/** Opens a crypto_box; throws DECRYPTION_FAILED when it does not authenticate (including low-order keys). */
export function boxOpen(
  ciphertext: Uint8Array,
  nonce: Uint8Array,
  senderPublicKey: Uint8Array,
  recipientSecretKey: Uint8Array,
): Uint8Array {
  requireLength(nonce, NONCE_LENGTH, 'nonce');
  requireBoxKeys(senderPublicKey, recipientSecretKey);
  if (ciphertext.length < MAC_LENGTH) {
    throw new CryptoError(CryptoErrorCode.DECRYPTION_FAILED, 'box is shorter than its MAC');
  }
  const out = Buffer.alloc(ciphertext.length - MAC_LENGTH);
  const opened = sodium.crypto_box_open_easy(
    out,
    asBuffer(ciphertext),
    asBuffer(nonce),
    asBuffer(senderPublicKey),
    asBuffer(recipientSecretKey),
  );
  if (!opened) throw new CryptoError(CryptoErrorCode.DECRYPTION_FAILED, 'box did not authenticate');
  return out;
}

/**
 * crypto_box_afternm: a box under a key precomputed with x25519HSalsa20, which is exactly a secretbox.
 * The CSP session uses it so that each frame costs no X25519 operation (spec §1.5).
 */
export function boxPrecomputed(plaintext: Uint8Array, nonce: Uint8Array, sharedKey: Uint8Array): Uint8Array {
  return secretbox(plaintext, nonce, sharedKey);
}

/** crypto_box_afternm written into `out` (plaintext length + 16 bytes), see secretboxInto. */
export function boxPrecomputedInto(
  out: Uint8Array,
  plaintext: Uint8Array,
  nonce: Uint8Array,
  sharedKey: Uint8Array,
): void {
  secretboxInto(out, plaintext, nonce, sharedKey);
}

/** crypto_box_open_afternm; throws DECRYPTION_FAILED like boxOpen. */
export function boxOpenPrecomputed(
  ciphertext: Uint8Array,
  nonce: Uint8Array,
  sharedKey: Uint8Array,
): Uint8Array {
  return secretboxOpen(ciphertext, nonce, sharedKey);
}
