import type { ServiceDefinition } from '@ots/service-kit';

import { type DirectoryConfig, loadDirectoryConfig } from './config';
import { DirectoryModule } from './directory.module';

export const directoryService: ServiceDefinition<DirectoryConfig> = {
  service: 'directory',
  loadConfig: () => loadDirectoryConfig(),
  http: (config) => ({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  }),
  module: (config, runtime) => DirectoryModule.forRoot(config, runtime),
};
