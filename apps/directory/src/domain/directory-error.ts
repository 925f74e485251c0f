export enum DirectoryErrorCode {
  InvalidIdentity = 'invalid-identity',
  TooManyIdentities = 'too-many-identities',
  /** The request body does not have the fields and types the endpoint needs. */
  InvalidRequest = 'invalid-request',
  InvalidPublicKey = 'invalid-public-key',
  /** Phase 2 of a signed call: unknown, expired, reused or wrong-purpose token, or a response that does not verify. */
  InvalidToken = 'invalid-token',
  /** Unknown or revoked identity. */
  IdentityNotFound = 'identity-not-found',
  /** No free random ID after several attempts (the ID space is nearly full or the generator is broken). */
  IdentityAllocationFailed = 'identity-allocation-failed',
  /** A per-source or per-identity abuse limit is exhausted (counters in memory only). */
  RateLimited = 'rate-limited',
  /** identity/ws/revoke: no revocation key is set, or the one sent does not match. */
  WrongRevocationKey = 'wrong-revocation-key',
  /** A link verification (e-mail token, SMS code, verification ID) is unknown, expired, used up or wrong. */
  InvalidVerification = 'invalid-verification',
  /** The verification could not be sent (mail or SMS gateway not configured, or it refused or failed). */
  VerificationUnavailable = 'verification-unavailable',
}

/** Domain errors carry a code; each transport maps codes to its own shape (HTTP status, gRPC status). */
export class DirectoryError extends Error {
  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

/** A limit was hit; transports tell the client when to retry (HTTP Retry-After, gRPC RESOURCE_EXHAUSTED). */
export class RateLimitedError extends DirectoryError {
  constructor(readonly retryAfterSeconds: number) {
    super(DirectoryErrorCode.RateLimited, 'Too many requests');
    this.name = 'RateLimitedError';
  }
}
