import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';

import { ContactSyncError, ContactSyncErrorCode } from '../domain/contact-sync-error';

interface Reply {
  code(status: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}

const STATUS: Record<ContactSyncErrorCode, number> = {
  [ContactSyncErrorCode.InvalidRequest]: 400,
  [ContactSyncErrorCode.TooManyHashes]: 413,
  [ContactSyncErrorCode.InvalidToken]: 401,
  [ContactSyncErrorCode.UnknownIdentity]: 404,
  [ContactSyncErrorCode.NotReady]: 503,
  [ContactSyncErrorCode.RateLimited]: 429,
};

/** Maps domain errors to HTTP: status, the spec's `{success:false,error,errorType}` shape, Retry-After. */
@Catch(ContactSyncError)
export class ContactSyncHttpErrorFilter implements ExceptionFilter<ContactSyncError> {
  catch(error: ContactSyncError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<Reply>();
    if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
    void reply.code(STATUS[error.code]).send({ success: false, error: error.message, errorType: error.code });
  }
}
