import { type DynamicModule, Module } from '@nestjs/common';
import { DirectoryClientModule } from '@ots/internal-clients';
import { ObservabilityModule } from '@ots/observability';
import { NatsModule, type ServiceRuntime } from '@ots/service-kit';

import { MAILBOX_CONFIG, type MailboxConfig } from './config';

@Module({})
export class MailboxModule {
  static forRoot(config: MailboxConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: MailboxModule,
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
      providers: [{ provide: MAILBOX_CONFIG, useValue: config }],
    };
  }
}
