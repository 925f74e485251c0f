/** Domain failures of contact-sync; each transport maps them (http/contact-sync-http.filter.ts). */
export enum ContactSyncErrorCode {
  InvalidRequest = 'invalid-request',
  TooManyHashes = 'too-many-hashes',
  InvalidToken = 'invalid-token',
  UnknownIdentity = 'invalid-identity',
  NotReady = 'not-ready',
  RateLimited = 'rate-limited',
}

export class ContactSyncError extends Error {
  constructor(
    readonly code: ContactSyncErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ContactSyncError';
  }
}
