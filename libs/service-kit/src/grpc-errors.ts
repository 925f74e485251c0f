import { randomUUID } from 'node:crypto';

import { Metadata, type ServiceError, status } from '@grpc/grpc-js';

/** A domain error's code as a gRPC status with the code in the `error-code` metadata (style rule 5). */
export function domainGrpcError(code: string, grpcStatus: status, message: string): Partial<ServiceError> {
  const metadata = new Metadata();
  metadata.set('error-code', code);
  return { code: grpcStatus, details: message, metadata };
}

/** Anything unexpected: INTERNAL with an errorId that is logged too, so an operator can find the cause. */
export function unexpectedGrpcError(
  error: unknown,
  logger: { error(message: object): void },
): Partial<ServiceError> {
  const errorId = randomUUID();
  logger.error({ msg: 'unexpected gRPC error', err: error, errorId });
  const metadata = new Metadata();
  metadata.set('error-id', errorId);
  return { code: status.INTERNAL, details: `internal error ${errorId}`, metadata };
}
