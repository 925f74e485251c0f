export { blake2b, blake2b256, type Blake2bOptions } from './blake2b';
export { box, boxOpen, boxOpenPrecomputed, boxPrecomputed, boxPrecomputedInto } from './box';
export { constantTimeEqual } from './constant-time';
export { CryptoError, CryptoErrorCode } from './crypto-error';
export { type Ed25519KeyPair, ed25519Sign, ed25519Verify, generateEd25519KeyPair } from './ed25519';
export { hmacSha256 } from './hmac-sha256';
export { memzero, randomBytes } from './random';
export { secretbox, secretboxInto, secretboxOpen } from './secretbox';
export {
  BLAKE2B_256_LENGTH,
  BLAKE2B_MAX_KEY_LENGTH,
  BLAKE2B_PERSONAL_LENGTH,
  BLAKE2B_SALT_LENGTH,
  ED25519_PUBLIC_KEY_LENGTH,
  ED25519_SECRET_KEY_LENGTH,
  ED25519_SEED_LENGTH,
  ED25519_SIGNATURE_LENGTH,
  HMAC_SHA256_LENGTH,
  MAC_LENGTH,
  NONCE_LENGTH,
  SYMMETRIC_KEY_LENGTH,
  X25519_PUBLIC_KEY_LENGTH,
  X25519_SECRET_KEY_LENGTH,
} from './sizes';
export { hashEmail, hashPhoneNumber } from './threema/contact-hash';
export { directoryChallengeResponse, type DirectoryChallengeSalt } from './threema/directory-challenge';
export { deriveMessageMetadataKey } from './threema/message-metadata-key';
export { computeVouch, deriveVouchKey } from './threema/vouch';
export {
  generateX25519KeyPair,
  x25519HSalsa20,
  type X25519KeyPair,
  x25519PublicKeyFromSecret,
} from './x25519';
