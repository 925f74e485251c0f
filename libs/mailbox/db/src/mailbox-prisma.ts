import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';

import { PrismaClient } from './generated/prisma/client';

/** PostgreSQL schema owned by the mailbox service. */
export const MAILBOX_SCHEMA = 'mailbox';

export type MailboxPrismaClient = PrismaClient;

/**
 * A lost database site may drop packets instead of resetting connections: without limits, a query on a dead
 * connection and a connect to a vanished address wait forever and the service never recovers after the database
 * name moves (found by `npm run drill:failover -- --silent-site-loss`). A timed-out query's connection is
 * discarded, so the next query connects through the name again.
 */
export const DATABASE_TIMEOUTS = { connectionTimeoutMillis: 5_000, query_timeout: 15_000 } as const;

/** A Prisma client bound to the mailbox schema (driver adapter: no native query engine). */
export function createMailboxPrismaClient(databaseUrl: string, poolSize = 10): MailboxPrismaClient {
  const adapter = new PrismaPg(
    {
      connectionString: databaseUrl,
      max: poolSize,
      options: `-c search_path=${MAILBOX_SCHEMA}`,
      ...DATABASE_TIMEOUTS,
    },
    { schema: MAILBOX_SCHEMA },
  );
  return new PrismaClient({ adapter });
}

/**
 * A node-postgres pool on the mailbox schema for the per-message statements (see PrismaQueuedMessageRepository).
 * Idle-connection errors (a restarted server) are reported, never thrown: the pool reconnects on next use.
 */
export function createMailboxHotPathPool(
  databaseUrl: string,
  poolSize: number,
  onError: (error: Error) => void = () => undefined,
): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: poolSize,
    options: `-c search_path=${MAILBOX_SCHEMA}`,
    ...DATABASE_TIMEOUTS,
  });
  pool.on('error', onError);
  return pool;
}
