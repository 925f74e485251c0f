import { randomUUID } from 'node:crypto';

import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import type { Logger } from '@nestjs/common';

import { PushError, PushErrorCode } from '../domain/push-error';

const STATUS_BY_CODE: Record<PushErrorCode, status> = {
  [PushErrorCode.InvalidIdentity]: status.INVALID_ARGUMENT,
  [PushErrorCode.InvalidSlot]: status.INVALID_ARGUMENT,
  [PushErrorCode.InvalidToken]: status.INVALID_ARGUMENT,
};

/** Domain errors become gRPC statuses; anything unexpected becomes INTERNAL with an errorId that is logged. */
export function toGrpcError(error: unknown, logger: Logger): Partial<ServiceError> {
  const metadata = new Metadata();
  if (error instanceof PushError) {
    metadata.set('error-code', error.code);
    return { code: STATUS_BY_CODE[error.code], details: error.message, metadata };
  }
  const errorId = randomUUID();
  logger.error({ msg: 'unexpected gRPC error', err: error, errorId });
  metadata.set('error-id', errorId);
  return { code: status.INTERNAL, details: `internal error ${errorId}`, metadata };
}
