import { HttpStatus } from '@nestjs/common';

import { DirectoryError, DirectoryErrorCode } from '../domain/directory-error';

/** spec §4.1 failure body; `errorType` is one of the values clients know. */
export interface FailureBody {
  readonly success: false;
  readonly error: string;
  readonly errorType?: 'invalid-identity' | 'invalid-token';
}

interface HttpFailure {
  readonly status: HttpStatus;
  readonly errorType?: FailureBody['errorType'];
}

// docs/adr/0007-directory-challenges.md: a refused challenge answer is 200 {success:false} as clients expect;
// a body that does not parse is 400; an unknown or revoked identity is 404 (spec §4.1).
const FAILURE_BY_CODE: Record<DirectoryErrorCode, HttpFailure> = {
  [DirectoryErrorCode.InvalidRequest]: { status: HttpStatus.BAD_REQUEST },
  [DirectoryErrorCode.InvalidIdentity]: { status: HttpStatus.BAD_REQUEST, errorType: 'invalid-identity' },
  [DirectoryErrorCode.TooManyIdentities]: { status: HttpStatus.BAD_REQUEST },
  [DirectoryErrorCode.InvalidPublicKey]: { status: HttpStatus.BAD_REQUEST },
  [DirectoryErrorCode.InvalidToken]: { status: HttpStatus.OK, errorType: 'invalid-token' },
  [DirectoryErrorCode.IdentityNotFound]: { status: HttpStatus.NOT_FOUND, errorType: 'invalid-identity' },
  [DirectoryErrorCode.IdentityAllocationFailed]: { status: HttpStatus.SERVICE_UNAVAILABLE },
  [DirectoryErrorCode.RateLimited]: { status: HttpStatus.TOO_MANY_REQUESTS },
  // refusals a user acts on (wrong password, wrong or expired code) are 200 {success:false} like a bad token
  [DirectoryErrorCode.WrongRevocationKey]: { status: HttpStatus.OK },
  [DirectoryErrorCode.InvalidVerification]: { status: HttpStatus.OK },
  [DirectoryErrorCode.VerificationUnavailable]: { status: HttpStatus.SERVICE_UNAVAILABLE },
};

export function toHttpFailure(error: DirectoryError): { status: HttpStatus; body: FailureBody } {
  const failure = FAILURE_BY_CODE[error.code];
  const body: FailureBody =
    failure.errorType === undefined
      ? { success: false, error: error.message }
      : { success: false, error: error.message, errorType: failure.errorType };
  return { status: failure.status, body };
}
