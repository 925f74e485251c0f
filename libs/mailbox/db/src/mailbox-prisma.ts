import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';

import { PrismaClient } from './generated/prisma/client';

/** PostgreSQL schema owned by the mailbox service. */
export const MAILBOX_SCHEMA = 'mailbox';

export type MailboxPrismaClient = PrismaClient;

/** A Prisma client bound to the mailbox schema (driver adapter: no native query engine). */
export function createMailboxPrismaClient(databaseUrl: string, poolSize = 10): MailboxPrismaClient {
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: poolSize, options: `-c search_path=${MAILBOX_SCHEMA}` },
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
  });
  pool.on('error', onError);
  return pool;
}
