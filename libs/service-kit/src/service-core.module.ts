import type { DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@ots/observability';

import type { ServiceRuntime } from './bootstrap';
import { NatsModule } from './nats.module';

/** The part of the environment every service shares (see commonEnv in @ots/config). */
export interface CoreSettings {
  readonly OTS_SITE: string;
  readonly LOG_LEVEL: string;
  readonly NATS_URL: readonly string[];
}

export interface CoreOptions {
  /** see NatsSettings.noEcho */
  readonly natsNoEcho?: boolean;
}

/** What every service imports: logger, metrics, health endpoints and the NATS connection. */
export function serviceCoreModules(
  config: CoreSettings,
  runtime: ServiceRuntime,
  options: CoreOptions = {},
): DynamicModule[] {
  return [
    ObservabilityModule.forRoot({
      service: runtime.service,
      version: runtime.version,
      site: config.OTS_SITE,
      level: config.LOG_LEVEL,
    }),
    NatsModule.forRoot({ servers: config.NATS_URL, name: runtime.service, noEcho: options.natsNoEcho }),
  ];
}
