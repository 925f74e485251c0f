import { randomUUID } from 'node:crypto';

import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import type { Logger } from '@nestjs/common';

import { DirectoryError, DirectoryErrorCode } from '../domain/directory-error';

const STATUS_BY_CODE: Record<DirectoryErrorCode, status> = {
  [DirectoryErrorCode.InvalidIdentity]: status.INVALID_ARGUMENT,
  [DirectoryErrorCode.TooManyIdentities]: status.INVALID_ARGUMENT,
  [DirectoryErrorCode.InvalidRequest]: status.INVALID_ARGUMENT,
  [DirectoryErrorCode.InvalidPublicKey]: status.INVALID_ARGUMENT,
  [DirectoryErrorCode.InvalidToken]: status.PERMISSION_DENIED,
  [DirectoryErrorCode.IdentityNotFound]: status.NOT_FOUND,
  [DirectoryErrorCode.IdentityAllocationFailed]: status.UNAVAILABLE,
  [DirectoryErrorCode.RateLimited]: status.RESOURCE_EXHAUSTED,
  [DirectoryErrorCode.WrongRevocationKey]: status.PERMISSION_DENIED,
  [DirectoryErrorCode.InvalidVerification]: status.PERMISSION_DENIED,
  [DirectoryErrorCode.VerificationUnavailable]: status.UNAVAILABLE,
};

/** Domain errors become gRPC statuses; anything unexpected becomes INTERNAL with an errorId that is logged. */
export function toGrpcError(error: unknown, logger: Logger): Partial<ServiceError> {
  const metadata = new Metadata();
  if (error instanceof DirectoryError) {
    metadata.set('error-code', error.code);
    return { code: STATUS_BY_CODE[error.code], details: error.message, metadata };
  }
  const errorId = randomUUID();
  logger.error({ msg: 'unexpected gRPC error', err: error, errorId });
  metadata.set('error-id', errorId);
  return { code: status.INTERNAL, details: `internal error ${errorId}`, metadata };
}
