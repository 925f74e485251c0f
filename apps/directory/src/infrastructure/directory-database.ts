import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  createDirectoryPrismaClient,
  DATABASE_TIMEOUTS,
  DIRECTORY_SCHEMA,
  type DirectoryPrismaClient,
} from '@ots/directory-db';
import { ReadinessRegistry } from '@ots/observability';
import { Pool } from 'pg';

import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config';

/**
 * The directory's database access: the Prisma client (writes and most reads) and a node-postgres pool for the hot
 * look-up path (PgIdentityLookup), each with DATABASE_POOL_SIZE connections. Closed on shutdown, probed by /readyz.
 */
@Injectable()
export class DirectoryDatabase implements OnApplicationShutdown {
  readonly client: DirectoryPrismaClient;
  readonly pool: Pool;

  constructor(@Inject(DIRECTORY_CONFIG) config: DirectoryConfig, readiness: ReadinessRegistry) {
    this.client = createDirectoryPrismaClient(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
    this.pool = new Pool({
      connectionString: config.DATABASE_URL,
      max: config.DATABASE_POOL_SIZE,
      options: `-c search_path=${DIRECTORY_SCHEMA}`,
      ...DATABASE_TIMEOUTS,
    });
    // an idle connection that breaks is replaced on next use; the error must not crash the process
    this.pool.on('error', () => undefined);
    readiness.register('database', async () => {
      await this.client.$queryRaw`SELECT 1`;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.client.$disconnect(), this.pool.end()]);
  }
}
