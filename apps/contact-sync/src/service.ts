import type { ServiceDefinition } from '@ots/service-kit';

import { type ContactSyncConfig, loadContactSyncConfig } from './config';
import { ContactSyncModule } from './contact-sync.module';
import { installMatchBodyParser } from './http/match-body-parser';

export const contactSyncService: ServiceDefinition<ContactSyncConfig> = {
  service: 'contact-sync',
  loadConfig: () => loadContactSyncConfig(),
  http: (config) => ({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    // a full match request: ~48 bytes of JSON per base64 hash, plus the other fields
    bodyLimitBytes: config.CONTACT_SYNC_MAX_HASHES_PER_REQUEST * 48 + 4096,
    configure: (app) => {
      installMatchBodyParser(app.getHttpAdapter().getInstance(), '/identity/match');
    },
  }),
  module: (config, runtime) => ContactSyncModule.forRoot(config, runtime),
};
