import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/prisma/client';

/** PostgreSQL schema owned by the directory service. */
export const DIRECTORY_SCHEMA = 'directory';

export type DirectoryPrismaClient = PrismaClient;

/** A Prisma client bound to the directory schema (driver adapter: no native query engine). */
export function createDirectoryPrismaClient(databaseUrl: string, poolSize = 10): DirectoryPrismaClient {
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: poolSize, options: `-c search_path=${DIRECTORY_SCHEMA}` },
    { schema: DIRECTORY_SCHEMA },
  );
  return new PrismaClient({ adapter });
}
