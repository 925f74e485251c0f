/** Why a directory call failed (spec §4.1 status codes and the `{success:false,error}` body). */
export enum DirectoryClientErrorCode {
  /** The server answered `{"success":false,"error":…}` (often with status 200, spec §4.1). */
  REFUSED = 'REFUSED',
  /** 400: the server did not accept the request body. */
  BAD_REQUEST = 'BAD_REQUEST',
  /** 401: OnPrem Basic credentials missing or wrong. */
  UNAUTHORIZED = 'UNAUTHORIZED',
  /** 404: unknown or revoked identity. */
  NOT_FOUND = 'NOT_FOUND',
  /** 429: back off (spec §4.1: at least 10 s, or Retry-After). */
  RATE_LIMITED = 'RATE_LIMITED',
  /** Any other non-2xx status. */
  HTTP_ERROR = 'HTTP_ERROR',
  /** The body is not the JSON the spec describes for this endpoint. */
  UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE',
  /** No answer: connection refused, reset, or the timeout elapsed. */
  NETWORK = 'NETWORK',
  /** The caller passed something the request cannot carry (e.g. a malformed identity). */
  INVALID_INPUT = 'INVALID_INPUT',
}

export class DirectoryClientError extends Error {
  constructor(
    readonly code: DirectoryClientErrorCode,
    message: string,
    /** HTTP status when the server answered. */
    readonly status?: number,
    /** The server's `error` text, and its `errorType` (spec §4.1) when given. */
    readonly serverError?: string,
    readonly errorType?: string,
    /** From Retry-After on 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DirectoryClientError';
  }
}
