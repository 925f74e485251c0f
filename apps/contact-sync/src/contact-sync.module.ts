import { type DynamicModule, Module } from '@nestjs/common';
import { DirectoryClientModule } from '@ots/internal-clients';
import { ObservabilityModule } from '@ots/observability';
import { NatsModule, type ServiceRuntime } from '@ots/service-kit';

import { CONTACT_SYNC_CONFIG, type ContactSyncConfig } from './config';

@Module({})
export class ContactSyncModule {
  static forRoot(config: ContactSyncConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: ContactSyncModule,
      imports: [
        ObservabilityModule.forRoot({
          service: runtime.service,
          version: runtime.version,
          site: config.OTS_SITE,
          level: config.LOG_LEVEL,
        }),
        NatsModule.forRoot({ servers: config.NATS_URL, name: runtime.service }),
        DirectoryClientModule.forRoot(config.DIRECTORY_GRPC_URL),
      ],
      providers: [{ provide: CONTACT_SYNC_CONFIG, useValue: config }],
    };
  }
}
