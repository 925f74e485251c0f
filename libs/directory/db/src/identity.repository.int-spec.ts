import { runMigrations } from '@ots/db-tools';
import { startPostgres, type TestPostgres } from '@ots/testing';
import { Client } from 'pg';

import { createDirectoryPrismaClient, type DirectoryPrismaClient } from './directory-prisma';
import { IdentityStateCode, IdentityTypeCode, PrismaIdentityRepository } from './identity.repository';

describe('PrismaIdentityRepository (real PostgreSQL)', () => {
  let postgres: TestPostgres;
  let prisma: DirectoryPrismaClient;
  let repository: PrismaIdentityRepository;

  beforeAll(async () => {
    postgres = await startPostgres();
    await runMigrations({ databaseUrl: postgres.url });
    prisma = createDirectoryPrismaClient(postgres.url, 2);
    repository = new PrismaIdentityRepository(prisma);
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await postgres.stop();
  });

  it('stores an identity with its public key and reads it back', async () => {
    await repository.insert({ id: 'ABCD1234', publicKey: new Uint8Array(32).fill(0xaa), serverGroup: '7f' });
    const [found] = await repository.findByIds(['ABCD1234', 'MISSING1']);
    expect(found).toMatchObject({
      id: 'ABCD1234',
      state: IdentityStateCode.Active,
      type: IdentityTypeCode.Regular,
      featureMask: 0n,
      serverGroup: '7f',
      lastLoginAt: null,
    });
    expect(Buffer.from(found.publicKey).equals(Buffer.alloc(32, 0xaa))).toBe(true);
    expect(found.createdAt).toBeInstanceOf(Date);
  });

  it('refuses a second identity with the same ID (IDs are never reused)', async () => {
    await expect(
      repository.insert({ id: 'ABCD1234', publicKey: new Uint8Array(32), serverGroup: '00' }),
    ).rejects.toThrow();
  });

  it('keeps its tables and migration history in its own PostgreSQL schema', async () => {
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    const tables = await client.query<{ table_schema: string; table_name: string }>(
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = 'directory' ORDER BY 1, 2",
    );
    await client.end();
    expect(tables.rows).toEqual([
      { table_schema: 'directory', table_name: '_prisma_migrations' },
      { table_schema: 'directory', table_name: 'identity' },
      { table_schema: 'directory', table_name: 'pending_link' },
    ]);
  });

  it('answers the readiness ping', async () => {
    await expect(repository.ping()).resolves.toBeUndefined();
  });
});
