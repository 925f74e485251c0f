import sodium from 'sodium-native';

import { asBuffer, requireLength } from './bytes';
import { CryptoError, CryptoErrorCode } from './crypto-error';
import { MAC_LENGTH, NONCE_LENGTH, SYMMETRIC_KEY_LENGTH } from './sizes';

/** XSalsa20-Poly1305 (NaCl crypto_secretbox_easy): returns MAC(16) ‖ ciphertext. */
export function secretbox(plaintext: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  requireLength(nonce, NONCE_LENGTH, 'nonce');
  requireLength(key, SYMMETRIC_KEY_LENGTH, 'secretbox key');
  const out = Buffer.alloc(plaintext.length + MAC_LENGTH);
  sodium.crypto_secretbox_easy(out, asBuffer(plaintext), asBuffer(nonce), asBuffer(key));
  return out;
}

/**
 * secretbox written into `out` (MAC ‖ ciphertext, exactly plaintext length + 16 bytes), for callers that frame the
 * box themselves and would otherwise allocate and copy it once more.
 */
export function secretboxInto(
  out: Uint8Array,
  plaintext: Uint8Array,
  nonce: Uint8Array,
  key: Uint8Array,
): void {
  requireLength(nonce, NONCE_LENGTH, 'nonce');
  requireLength(key, SYMMETRIC_KEY_LENGTH, 'secretbox key');
  requireLength(out, plaintext.length + MAC_LENGTH, 'secretbox output');
  sodium.crypto_secretbox_easy(asBuffer(out), asBuffer(plaintext), asBuffer(nonce), asBuffer(key));
}

/** Opens a secretbox; throws DECRYPTION_FAILED when it does not authenticate or is shorter than the MAC. */
export function secretboxOpen(ciphertext: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  requireLength(nonce, NONCE_LENGTH, 'nonce');
  requireLength(key, SYMMETRIC_KEY_LENGTH, 'secretbox key');
  if (ciphertext.length < MAC_LENGTH) {
    throw new CryptoError(CryptoErrorCode.DECRYPTION_FAILED, 'box is shorter than its MAC');
  }
  // every byte is written before it is returned (on failure it is dropped). Small ones come from Node's buffer
  // pool: a frame's own ArrayBuffer per message was a large share of the chat server's garbage collection
  const out = Buffer.allocUnsafe(ciphertext.length - MAC_LENGTH);
  if (!sodium.crypto_secretbox_open_easy(out, asBuffer(ciphertext), asBuffer(nonce), asBuffer(key))) {
    throw new CryptoError(CryptoErrorCode.DECRYPTION_FAILED, 'box did not authenticate');
  }
  return out;
}
