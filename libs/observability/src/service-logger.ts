import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

/**
 * Nest's logger interface on top of the process's one pino logger. Nest calls `log(message, ...params, context)`:
 * the last string parameter is the context (the class name given to `new Logger('…')`), an object message is
 * merged into the line (our single-object form `{ msg, …fields }`), an Error becomes `err`.
 *
 * There is deliberately no per-request child logger: request logs would carry paths with identity IDs and client
 * addresses, access logging is off, and creating a redacted child per request cost about a fifth of the
 * directory's CPU per `GET identity/<ID>`. Errors name their route themselves (UnexpectedErrorFilter).
 */
export class ServiceLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') {
      fields.context = rest.pop();
    }
    // Nest's Logger.error(message, stack, context): the stack arrives as a string parameter
    if (level === 'error' && typeof rest[0] === 'string' && rest[0].includes('\n    at ')) {
      fields.stack = rest.shift();
    }
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.pino[level](fields, String(message), ...rest);
    }
  }
}
