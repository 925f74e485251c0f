import type { ServiceDefinition } from '@ots/service-kit';

import { type DataExportConfig, loadDataExportConfig } from './config';
import { DataExportModule } from './data-export.module';

export const dataExportService: ServiceDefinition<DataExportConfig> = {
  service: 'data-export',
  loadConfig: () => loadDataExportConfig(),
  http: (config) => ({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  }),
  module: (config, runtime) => DataExportModule.forRoot(config, runtime),
};
