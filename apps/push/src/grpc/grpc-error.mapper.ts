import { type ServiceError, status } from '@grpc/grpc-js';
import type { Logger } from '@nestjs/common';
import { domainGrpcError, unexpectedGrpcError } from '@ots/service-kit';

import { PushError, PushErrorCode } from '../domain/push-error';

const STATUS_BY_CODE: Record<PushErrorCode, status> = {
  [PushErrorCode.InvalidIdentity]: status.INVALID_ARGUMENT,
  [PushErrorCode.InvalidSlot]: status.INVALID_ARGUMENT,
  [PushErrorCode.InvalidToken]: status.INVALID_ARGUMENT,
};

/** Domain errors become gRPC statuses; anything unexpected becomes INTERNAL with an errorId that is logged. */
export function toGrpcError(error: unknown, logger: Logger): Partial<ServiceError> {
  if (error instanceof PushError)
    return domainGrpcError(error.code, STATUS_BY_CODE[error.code], error.message);
  return unexpectedGrpcError(error, logger);
}
