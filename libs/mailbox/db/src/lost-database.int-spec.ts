import { startPostgres, startTcpRelay, type TcpRelay, type TestPostgres } from '@ots/testing';

import { createMailboxHotPathPool, createMailboxPrismaClient } from './mailbox-prisma';

// A lost database site may drop packets instead of resetting connections (docs/operations/two-sites.md): a query on
// a dead connection must fail within bounds, and the next one must reach whatever the database name points at now.
describe('mailbox database pools when the database vanishes silently (real PostgreSQL)', () => {
  let postgres: TestPostgres;
  let relay: TcpRelay;
  let url: string;

  beforeAll(async () => {
    postgres = await startPostgres();
  });

  beforeEach(async () => {
    relay = await startTcpRelay(postgres.port);
    url = postgres.url.replace(`:${String(postgres.port)}/`, `:${String(relay.port)}/`);
  });

  afterEach(async () => {
    await relay.close();
  });

  afterAll(async () => {
    await postgres.stop();
  });

  it('the hot-path pool gives up on a dead connection and reconnects through the name', async () => {
    const pool = createMailboxHotPathPool(url, 2);
    try {
      await pool.query('SELECT 1');
      relay.silence();
      const started = Date.now();
      await expect(pool.query('SELECT 2')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(25_000);
      relay.repoint(postgres.port);
      await expect(pool.query<{ n: number }>('SELECT 3 AS n')).resolves.toMatchObject({ rows: [{ n: 3 }] });
    } finally {
      await pool.end();
    }
  }, 60_000);

  it('the Prisma client gives up on a dead connection and reconnects through the name', async () => {
    const prisma = createMailboxPrismaClient(url, 2);
    try {
      await prisma.$queryRaw`SELECT 1`;
      relay.silence();
      const started = Date.now();
      await expect(prisma.$queryRaw`SELECT 2`).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(25_000);
      relay.repoint(postgres.port);
      await expect(prisma.$queryRaw<{ n: number }[]>`SELECT 3 AS n`).resolves.toEqual([{ n: 3 }]);
    } finally {
      await prisma.$disconnect();
    }
  }, 60_000);
});
