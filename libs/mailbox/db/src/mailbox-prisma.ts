import { PrismaPg } from '@prisma/adapter-pg';

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
