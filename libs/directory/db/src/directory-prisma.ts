import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/prisma/client';

/** PostgreSQL schema owned by the directory service. */
export const DIRECTORY_SCHEMA = 'directory';

export type DirectoryPrismaClient = PrismaClient;

/**
 * A lost database site may drop packets instead of resetting connections: without limits, a query on a dead
 * connection and a connect to a vanished address wait forever and the service never recovers after the database
 * name moves (found by `npm run drill:failover -- --silent-site-loss`). A timed-out query's connection is
 * discarded, so the next query connects through the name again.
 */
export const DATABASE_TIMEOUTS = { connectionTimeoutMillis: 5_000, query_timeout: 15_000 } as const;

/** A Prisma client bound to the directory schema (driver adapter: no native query engine). */
export function createDirectoryPrismaClient(databaseUrl: string, poolSize = 10): DirectoryPrismaClient {
  const adapter = new PrismaPg(
    {
      connectionString: databaseUrl,
      max: poolSize,
      options: `-c search_path=${DIRECTORY_SCHEMA}`,
      ...DATABASE_TIMEOUTS,
    },
    { schema: DIRECTORY_SCHEMA },
  );
  return new PrismaClient({ adapter });
}
