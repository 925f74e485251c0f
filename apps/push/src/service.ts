import type { ServiceDefinition } from '@ots/service-kit';

import { loadPushConfig, type PushConfig } from './config';
import { PushModule } from './push.module';

export const pushService: ServiceDefinition<PushConfig> = {
  service: 'push',
  loadConfig: () => loadPushConfig(),
  http: (config) => ({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  }),
  module: (config, runtime) => PushModule.forRoot(config, runtime),
};
