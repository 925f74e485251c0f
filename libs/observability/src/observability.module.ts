import { type DynamicModule, Module } from '@nestjs/common';

import { HealthController } from './health.controller';
import { createLogger, type LoggerSettings } from './logger';
import { MetricsRegistry } from './metrics';
import { MetricsController } from './metrics.controller';
import { ReadinessRegistry } from './readiness';
import { ServiceLogger } from './service-logger';

/** Logger (pino behind Nest's LoggerService), metrics registry, readiness registry, and the /healthz, /readyz, /metrics endpoints. */
@Module({})
export class ObservabilityModule {
  static forRoot(settings: LoggerSettings): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      providers: [
        // per-request access logs would carry paths with identity IDs and client addresses: none by design
        { provide: ServiceLogger, useValue: new ServiceLogger(createLogger(settings)) },
        { provide: MetricsRegistry, useValue: new MetricsRegistry(settings) },
        { provide: ReadinessRegistry, useValue: new ReadinessRegistry() },
      ],
      controllers: [HealthController, MetricsController],
      exports: [MetricsRegistry, ReadinessRegistry, ServiceLogger],
    };
  }
}
