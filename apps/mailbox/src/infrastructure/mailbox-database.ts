import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  createMailboxPrismaClient,
  type MailboxPrismaClient,
  PrismaDeviceCookieRepository,
  PrismaQueuedMessageRepository,
} from '@ots/mailbox-db';
import { ReadinessRegistry } from '@ots/observability';

import { MAILBOX_CONFIG, type MailboxConfig } from '../config';

/** The mailbox's Prisma client and repositories: one pool per process, closed last, probed by /readyz. */
@Injectable()
export class MailboxDatabase implements OnApplicationShutdown {
  readonly client: MailboxPrismaClient;
  readonly queue: PrismaQueuedMessageRepository;
  readonly cookies: PrismaDeviceCookieRepository;

  constructor(@Inject(MAILBOX_CONFIG) config: MailboxConfig, readiness: ReadinessRegistry) {
    this.client = createMailboxPrismaClient(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
    this.queue = new PrismaQueuedMessageRepository(this.client);
    this.cookies = new PrismaDeviceCookieRepository(this.client);
    readiness.register('database', async () => {
      await this.client.$queryRaw`SELECT 1`;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.$disconnect();
  }
}
