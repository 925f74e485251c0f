import { type DynamicModule, Module } from '@nestjs/common';
import { serviceCoreModules, type ServiceRuntime } from '@ots/service-kit';

import { PUSH_CONFIG, type PushConfig } from './config';
import { JetStreamReadiness } from './infrastructure/jetstream-readiness';

@Module({})
export class PushModule {
  static forRoot(config: PushConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: PushModule,
      imports: [...serviceCoreModules(config, runtime)],
      providers: [{ provide: PUSH_CONFIG, useValue: config }, JetStreamReadiness],
    };
  }
}
