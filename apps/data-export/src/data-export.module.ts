import { type DynamicModule, Module } from '@nestjs/common';
import { DirectoryClientModule } from '@ots/internal-clients';
import { serviceCoreModules, type ServiceRuntime } from '@ots/service-kit';

import { DATA_EXPORT_CONFIG, type DataExportConfig } from './config';

@Module({})
export class DataExportModule {
  static forRoot(config: DataExportConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: DataExportModule,
      imports: [
        ...serviceCoreModules(config, runtime),
        DirectoryClientModule.forRoot(config.DIRECTORY_GRPC_URL),
      ],
      providers: [{ provide: DATA_EXPORT_CONFIG, useValue: config }],
    };
  }
}
