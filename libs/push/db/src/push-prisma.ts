import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/prisma/client';

/** PostgreSQL schema owned by the push service. */
export const PUSH_SCHEMA = 'push';

export type PushPrismaClient = PrismaClient;

/** A Prisma client bound to the push schema (driver adapter: no native query engine). */
export function createPushPrismaClient(databaseUrl: string, poolSize = 10): PushPrismaClient {
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: poolSize, options: `-c search_path=${PUSH_SCHEMA}` },
    { schema: PUSH_SCHEMA },
  );
  return new PrismaClient({ adapter });
}
