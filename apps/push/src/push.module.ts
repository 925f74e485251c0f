import { type DynamicModule, Module } from '@nestjs/common';
import { ObservabilityModule } from '@ots/observability';
import { NatsModule, type ServiceRuntime } from '@ots/service-kit';

import { PUSH_CONFIG, type PushConfig } from './config';
import { JetStreamReadiness } from './infrastructure/jetstream-readiness';

@Module({})
export class PushModule {
  static forRoot(config: PushConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: PushModule,
      imports: [
        ObservabilityModule.forRoot({
          service: runtime.service,
          version: runtime.version,
          site: config.OTS_SITE,
          level: config.LOG_LEVEL,
        }),
        NatsModule.forRoot({ servers: config.NATS_URL, name: runtime.service }),
      ],
      providers: [{ provide: PUSH_CONFIG, useValue: config }, JetStreamReadiness],
    };
  }
}
