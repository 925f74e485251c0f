import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';

import { DirectoryError } from '../domain/directory-error';
import { toHttpFailure } from './http-error.mapper';

interface Reply {
  code(status: number): Reply;
  send(body: unknown): unknown;
}

/** Answers domain errors of the directory's HTTP controllers; anything else reaches the service-wide filter. */
@Catch(DirectoryError)
export class DirectoryHttpErrorFilter implements ExceptionFilter<DirectoryError> {
  catch(error: DirectoryError, host: ArgumentsHost): void {
    const { status, body } = toHttpFailure(error);
    void host.switchToHttp().getResponse<Reply>().code(status).send(body);
  }
}
