import { type DynamicModule, Module } from '@nestjs/common';
import { DirectoryClientModule } from '@ots/internal-clients';
import { ObservabilityModule } from '@ots/observability';
import { NatsModule, type ServiceRuntime } from '@ots/service-kit';

import { DATA_EXPORT_CONFIG, type DataExportConfig } from './config';

@Module({})
export class DataExportModule {
  static forRoot(config: DataExportConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: DataExportModule,
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
      providers: [{ provide: DATA_EXPORT_CONFIG, useValue: config }],
    };
  }
}
