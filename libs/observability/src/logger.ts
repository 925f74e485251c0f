import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

import { REDACTION_CENSOR, redactPaths } from './redaction';

export interface ServiceIdentity {
  /** service name, e.g. "directory" */
  readonly service: string;
  readonly version: string;
  /** site (data centre) the process runs in */
  readonly site: string;
}

export interface LoggerSettings extends ServiceIdentity {
  readonly level: string;
}

/** pino options shared by every process: JSON lines, ISO time, service/version/site on each line, redaction on. */
export function loggerOptions(settings: LoggerSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { service: settings.service, version: settings.version, site: settings.site },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactPaths(), censor: REDACTION_CENSOR },
    serializers: { err: pino.stdSerializers.err },
  };
}

export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(settings), destination) : pino(loggerOptions(settings));
}

export type { Logger } from 'pino';
