import { randomUUID } from 'node:crypto';

import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

interface RequestLike {
  readonly method?: string;
  readonly routeOptions?: { readonly url?: string };
}

/**
 * Known HTTP errors pass through unchanged. Anything else is answered with a Threema-style failure body and an
 * `errorId` that the log line carries too, so an operator can find the cause without the client seeing it.
 */
@Catch()
export class UnexpectedErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('UnexpectedError');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const http = host.switchToHttp();
    const response: unknown = http.getResponse();
    if (exception instanceof HttpException) {
      httpAdapter.reply(response, exception.getResponse(), exception.getStatus());
      return;
    }
    const errorId = randomUUID();
    // the route pattern (e.g. /identity/:id), never the URL: paths carry identity IDs
    const request = http.getRequest<RequestLike | undefined>();
    this.logger.error({
      msg: 'unexpected error',
      err: exception,
      errorId,
      method: request?.method,
      route: request?.routeOptions?.url ?? 'unmatched',
    });
    httpAdapter.reply(response, { success: false, error: 'Internal error', errorId }, 500);
  }
}
