/** Why a crypto operation refused its input. Messages never contain key material or plaintext. */
export enum CryptoErrorCode {
  /** A key, nonce, salt, personal or other fixed-size input had the wrong size. */
  INVALID_LENGTH = 'INVALID_LENGTH',
  /** X25519 produced the all-zero shared secret: the peer's public key is a low-order point. */
  WEAK_PUBLIC_KEY = 'WEAK_PUBLIC_KEY',
  /** A box or secretbox did not authenticate (wrong key, wrong nonce, tampered or truncated). */
  DECRYPTION_FAILED = 'DECRYPTION_FAILED',
}

export class CryptoError extends Error {
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CryptoError';
  }
}
