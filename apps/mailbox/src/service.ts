import type { ServiceDefinition } from '@ots/service-kit';

import { loadMailboxConfig, type MailboxConfig } from './config';
import { MailboxModule } from './mailbox.module';

export const mailboxService: ServiceDefinition<MailboxConfig> = {
  service: 'mailbox',
  loadConfig: () => loadMailboxConfig(),
  http: (config) => ({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  }),
  module: (config, runtime) => MailboxModule.forRoot(config, runtime),
};
