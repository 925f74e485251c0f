import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ReadinessRegistry } from '@ots/observability';
import { createPushPrismaClient, type PushPrismaClient } from '@ots/push-db';

import { PUSH_CONFIG, type PushConfig } from '../config';

/** The push service's Prisma client: one pool per process, closed on shutdown, probed by /readyz. */
@Injectable()
export class PushDatabase implements OnApplicationShutdown {
  readonly client: PushPrismaClient;

  constructor(@Inject(PUSH_CONFIG) config: PushConfig, readiness: ReadinessRegistry) {
    this.client = createPushPrismaClient(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
    readiness.register('database', async () => {
      await this.client.$queryRaw`SELECT 1`;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.$disconnect();
  }
}
