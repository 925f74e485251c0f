import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createDirectoryPrismaClient, type DirectoryPrismaClient } from '@ots/directory-db';
import { ReadinessRegistry } from '@ots/observability';

import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config';

/** The directory's Prisma client: one pool per process, closed on shutdown, probed by /readyz. */
@Injectable()
export class DirectoryDatabase implements OnApplicationShutdown {
  readonly client: DirectoryPrismaClient;

  constructor(@Inject(DIRECTORY_CONFIG) config: DirectoryConfig, readiness: ReadinessRegistry) {
    this.client = createDirectoryPrismaClient(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
    readiness.register('database', async () => {
      await this.client.$queryRaw`SELECT 1`;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.$disconnect();
  }
}
