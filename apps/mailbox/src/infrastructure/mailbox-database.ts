import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  createMailboxHotPathPool,
  createMailboxPrismaClient,
  type MailboxPrismaClient,
  PrismaDeviceCookieRepository,
  PrismaQueuedMessageRepository,
} from '@ots/mailbox-db';
import { ReadinessRegistry } from '@ots/observability';
import type { Pool } from 'pg';

import { MAILBOX_CONFIG, type MailboxConfig } from '../config';

/** The mailbox's Prisma client and repositories: one pool per process, closed last, probed by /readyz. */
@Injectable()
export class MailboxDatabase implements OnApplicationShutdown {
  private readonly logger = new Logger('MailboxDatabase');
  readonly client: MailboxPrismaClient;
  readonly hotPath: Pool;
  readonly queue: PrismaQueuedMessageRepository;
  readonly cookies: PrismaDeviceCookieRepository;

  constructor(@Inject(MAILBOX_CONFIG) config: MailboxConfig, readiness: ReadinessRegistry) {
    // Prisma for everything but the per-message statements, which get their own pool (docs/adr/0009)
    this.client = createMailboxPrismaClient(
      config.DATABASE_URL,
      Math.max(2, Math.ceil(config.DATABASE_POOL_SIZE / 4)),
    );
    this.hotPath = createMailboxHotPathPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE, (error) => {
      this.logger.warn({ msg: 'idle database connection failed', err: error.message });
    });
    this.queue = new PrismaQueuedMessageRepository(this.client, this.hotPath);
    this.cookies = new PrismaDeviceCookieRepository(this.client, this.hotPath);
    readiness.register('database', async () => {
      await this.client.$queryRaw`SELECT 1`;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.hotPath.end();
    await this.client.$disconnect();
  }
}
