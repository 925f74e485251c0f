import type { ServiceDefinition } from '@ots/service-kit';

import { type ContactSyncConfig, loadContactSyncConfig } from './config';
import { ContactSyncModule } from './contact-sync.module';

export const contactSyncService: ServiceDefinition<ContactSyncConfig> = {
  service: 'contact-sync',
  loadConfig: () => loadContactSyncConfig(),
  http: (config) => ({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  }),
  module: (config, runtime) => ContactSyncModule.forRoot(config, runtime),
};
