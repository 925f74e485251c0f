import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/prisma/client';

/** PostgreSQL schema owned by the push service. */
export const PUSH_SCHEMA = 'push';

export type PushPrismaClient = PrismaClient;

/**
 * A lost database site may drop packets instead of resetting connections: without limits, a query on a dead
 * connection and a connect to a vanished address wait forever and the service never recovers after the database
 * name moves (found by `npm run drill:failover -- --silent-site-loss`). A timed-out query's connection is
 * discarded, so the next query connects through the name again.
 */
export const DATABASE_TIMEOUTS = { connectionTimeoutMillis: 5_000, query_timeout: 15_000 } as const;

/** A Prisma client bound to the push schema (driver adapter: no native query engine). */
export function createPushPrismaClient(databaseUrl: string, poolSize = 10): PushPrismaClient {
  const adapter = new PrismaPg(
    {
      connectionString: databaseUrl,
      max: poolSize,
      options: `-c search_path=${PUSH_SCHEMA}`,
      ...DATABASE_TIMEOUTS,
    },
    { schema: PUSH_SCHEMA },
  );
  return new PrismaClient({ adapter });
}
