import { randomUUID } from 'node:crypto';

import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { HealthController } from './health.controller';
import { createLogger, type LoggerSettings } from './logger';
import { MetricsRegistry } from './metrics';
import { MetricsController } from './metrics.controller';
import { ReadinessRegistry } from './readiness';

interface RequestLike {
  method?: string;
  routeOptions?: { url?: string };
}

/** Logger (nestjs-pino), metrics registry, readiness registry, and the /healthz, /readyz, /metrics endpoints. */
@Module({})
export class ObservabilityModule {
  static forRoot(settings: LoggerSettings): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger: createLogger(settings),
            // per-request access logs would carry paths with identity IDs and client addresses: off by design
            autoLogging: false,
            quietReqLogger: true,
            genReqId: () => randomUUID(),
            serializers: {
              req: (req: RequestLike) => ({
                method: req.method,
                route: req.routeOptions?.url ?? 'unmatched',
              }),
              res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
      ],
      providers: [
        { provide: MetricsRegistry, useValue: new MetricsRegistry(settings) },
        { provide: ReadinessRegistry, useValue: new ReadinessRegistry() },
      ],
      controllers: [HealthController, MetricsController],
      exports: [MetricsRegistry, ReadinessRegistry],
    };
  }
}
