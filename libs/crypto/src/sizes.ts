// Fixed sizes of the NaCl / libsodium primitives Threema's protocols use (spec §1.2, §3).
export const X25519_PUBLIC_KEY_LENGTH = 32;
export const X25519_SECRET_KEY_LENGTH = 32;
/** XSalsa20-Poly1305 key: a secretbox key or a precomputed box key (X25519HSalsa20 output). */
export const SYMMETRIC_KEY_LENGTH = 32;
export const NONCE_LENGTH = 24;
/** Poly1305 tag, prepended to the ciphertext in NaCl's "easy" layout (spec §1.2). */
export const MAC_LENGTH = 16;

export const BLAKE2B_256_LENGTH = 32;
export const BLAKE2B_MAX_KEY_LENGTH = 64;
/** BLAKE2b parameter-block salt and personal fields (spec §1.3). */
export const BLAKE2B_SALT_LENGTH = 16;
export const BLAKE2B_PERSONAL_LENGTH = 16;

export const HMAC_SHA256_LENGTH = 32;

export const ED25519_PUBLIC_KEY_LENGTH = 32;
/** libsodium's Ed25519 secret key: 32-byte seed followed by the 32-byte public key. */
export const ED25519_SECRET_KEY_LENGTH = 64;
export const ED25519_SEED_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;
