import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';

import { DirectoryError, RateLimitedError } from '../domain/directory-error';
import { toHttpFailure } from './http-error.mapper';

interface Reply {
  code(status: number): Reply;
  header(name: string, value: string): Reply;
  send(body: unknown): unknown;
}

/** Answers domain errors of the directory's HTTP controllers; anything else reaches the service-wide filter. */
@Catch(DirectoryError)
export class DirectoryHttpErrorFilter implements ExceptionFilter<DirectoryError> {
  catch(error: DirectoryError, host: ArgumentsHost): void {
    const { status, body } = toHttpFailure(error);
    const reply = host.switchToHttp().getResponse<Reply>();
    // spec §4.1: clients back off on 429; Retry-After says for how long
    if (error instanceof RateLimitedError) reply.header('Retry-After', String(error.retryAfterSeconds));
    void reply.code(status).send(body);
  }
}
