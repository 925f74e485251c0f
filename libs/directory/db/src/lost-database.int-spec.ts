import { startPostgres, startTcpRelay, type TcpRelay, type TestPostgres } from '@ots/testing';
import { Pool } from 'pg';

import { createDirectoryPrismaClient, DATABASE_TIMEOUTS } from './directory-prisma';

// A lost database site may drop packets instead of resetting connections (docs/operations/two-sites.md): a query on
// a dead connection must fail within bounds, and the next one must reach whatever the database name points at now.
describe('directory database access when the database vanishes silently (real PostgreSQL)', () => {
  let postgres: TestPostgres;
  let relay: TcpRelay;
  let url: string;

  beforeAll(async () => {
    postgres = await startPostgres();
    relay = await startTcpRelay(postgres.port);
    url = postgres.url.replace(`:${String(postgres.port)}/`, `:${String(relay.port)}/`);
  });

  afterAll(async () => {
    await relay.close();
    await postgres.stop();
  });

  it('the Prisma client and a pool with DATABASE_TIMEOUTS give up on dead connections and reconnect', async () => {
    const prisma = createDirectoryPrismaClient(url, 2);
    const pool = new Pool({ connectionString: url, max: 2, ...DATABASE_TIMEOUTS });
    try {
      await prisma.$queryRaw`SELECT 1`;
      await pool.query('SELECT 1');
      relay.silence();
      const started = Date.now();
      const outcomes = await Promise.allSettled([prisma.$queryRaw`SELECT 2`, pool.query('SELECT 2')]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
      expect(Date.now() - started).toBeLessThan(25_000);
      relay.repoint(postgres.port);
      await expect(prisma.$queryRaw<{ n: number }[]>`SELECT 3 AS n`).resolves.toEqual([{ n: 3 }]);
      await expect(pool.query<{ n: number }>('SELECT 4 AS n')).resolves.toMatchObject({ rows: [{ n: 4 }] });
    } finally {
      await Promise.all([prisma.$disconnect(), pool.end()]);
    }
  }, 60_000);
});
