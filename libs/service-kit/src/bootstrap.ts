import 'reflect-metadata';

import { randomUUID } from 'node:crypto';

import { type DynamicModule, type INestApplication, Logger, type Type } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError } from '@ots/config';
import { MetricsRegistry, ReadinessRegistry, ServiceLogger } from '@ots/observability';

import { UnexpectedErrorFilter } from './unexpected-error.filter';
import { resolveVersion } from './version';

export interface ServiceRuntime {
  readonly service: string;
  readonly version: string;
}

export interface HttpSettings {
  readonly host: string;
  readonly port: number;
  readonly shutdownGraceMs: number;
  /** JSON request bodies larger than this are refused with 413 (default 64 KiB). */
  readonly bodyLimitBytes?: number;
  /** Adjusts the initialised app before it listens (e.g. a service's own body parser for one route). */
  readonly configure?: (app: NestFastifyApplication) => void;
}

export interface ServiceDefinition<Config> {
  readonly service: string;
  /** Validates the environment; throws ConfigError naming each bad or missing variable. */
  readonly loadConfig: () => Config;
  readonly http: (config: Config) => HttpSettings;
  readonly module: (config: Config, runtime: ServiceRuntime) => Type | DynamicModule;
}

export interface RunningService {
  readonly app: INestApplication;
  readonly httpPort: number;
  stop(): Promise<void>;
}

/** Boot a service: validated config, JSON logs, health/metrics, graceful SIGTERM. Exits 1 on bad config. */
export async function runService<Config>(definition: ServiceDefinition<Config>): Promise<RunningService> {
  const version = resolveVersion();
  let config: Config;
  try {
    config = definition.loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service: definition.service, version, msg: error.message, problems: error.problems })}\n`,
      );
      process.exit(1);
    }
    throw error;
  }
  let running: RunningService;
  try {
    running = await startService(definition, config, { service: definition.service, version });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service: definition.service, version, msg: `start-up failed: ${message}` })}\n`,
    );
    process.exit(1);
  }
  installSignalHandlers(running, definition.http(config).shutdownGraceMs);
  return running;
}

/** Start without signal handling: used by runService and by tests that run a service in-process. */
export async function startService<Config>(
  definition: ServiceDefinition<Config>,
  config: Config,
  runtime: ServiceRuntime,
): Promise<RunningService> {
  const http = definition.http(config);
  const adapter = new ServiceFastifyAdapter(
    { bodyLimit: http.bodyLimitBytes ?? 64 * 1024, trustProxy: false },
    transportErrorHandler(),
  );
  const app = await NestFactory.create<NestFastifyApplication>(definition.module(config, runtime), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(ServiceLogger));
  app.useGlobalFilters(new UnexpectedErrorFilter(app.get(HttpAdapterHost)));
  const metrics = app.get(MetricsRegistry);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      metrics.httpRequestDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
  await app.init();
  http.configure?.(app);
  await app.listen(http.port, http.host);
  const address = app.getHttpServer().address();
  const httpPort = typeof address === 'object' && address ? address.port : http.port;
  app.get(ServiceLogger).log({ msg: `${runtime.service} ${runtime.version} started`, httpPort });
  let stopped: Promise<void> | undefined;
  return {
    app,
    httpPort,
    stop: () => {
      stopped ??= (async () => {
        app.get(ReadinessRegistry).markShuttingDown();
        await app.close();
      })();
      return stopped;
    },
  };
}

type FastifyErrorHandler = Parameters<FastifyAdapter['setErrorHandler']>[0];

/**
 * Nest sets Fastify's error handler once, while it registers the routes. That handler only ever sees errors Fastify
 * raises before a route runs (a route's own errors go through Nest's filters), so ours takes its place there:
 * setting a second handler afterwards made Fastify warn at every start (FSTWRN004).
 */
class ServiceFastifyAdapter extends FastifyAdapter {
  constructor(
    options: { readonly bodyLimit: number; readonly trustProxy: boolean },
    private readonly transportErrors: FastifyErrorHandler,
  ) {
    super(options);
  }

  override setErrorHandler(): ReturnType<FastifyAdapter['setErrorHandler']> {
    return super.setErrorHandler(this.transportErrors);
  }
}

/**
 * Errors Fastify raises before a route runs (unparsable JSON, oversized or unsupported bodies) get the same
 * Threema-style failure body as everything else, naming the problem but never echoing the input.
 */
function transportErrorHandler(): FastifyErrorHandler {
  // a Nest logger, like UnexpectedErrorFilter's: it writes through the app's logger once that is set
  const logger = new Logger('TransportError');
  return (raised: unknown, _request, reply) => {
    const error = (typeof raised === 'object' && raised !== null ? raised : {}) as {
      statusCode?: number;
      code?: string;
    };
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      void reply.code(status).send({ success: false, error: transportErrorText(status, error.code) });
      return;
    }
    const errorId = randomUUID();
    logger.error({ msg: 'unexpected transport error', err: raised, errorId });
    void reply.code(500).send({ success: false, error: 'Internal error', errorId });
  };
}

function transportErrorText(status: number, code: string | undefined): string {
  if (status === 413) return 'Request body too large';
  if (status === 415) return 'Unsupported content type';
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return 'Malformed JSON body';
  return 'Bad request';
}

function installSignalHandlers(running: RunningService, graceMs: number): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    const logger = running.app.get(ServiceLogger);
    logger.log({ msg: 'shutting down', signal });
    const force = setTimeout(() => {
      logger.error({ msg: 'graceful shutdown took too long; exiting', graceMs });
      process.exit(1);
    }, graceMs);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ msg: 'shutdown failed', err: error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
