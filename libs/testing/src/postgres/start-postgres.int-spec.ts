import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';

import { Client } from 'pg';

import { childPids, isRunning, signalZeroErrorCode } from '../../test/process-table';
import { freePort } from '../ports/free-port';
import { startPostgres, type TestPostgres } from './start-postgres';

async function queryOne(url: string, sql: string): Promise<Record<string, unknown>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<Record<string, unknown>>(sql);
    return result.rows[0];
  } finally {
    await client.end();
  }
}

describe('startPostgres', () => {
  const started: TestPostgres[] = [];
  afterAll(async () => {
    await Promise.all(started.map((postgres) => postgres.stop()));
  });

  it('runs PostgreSQL 17 on 127.0.0.1 with the requested database', async () => {
    const postgres = await startPostgres({ database: 'app', user: 'tester', password: 'p@ss:word' });
    started.push(postgres);

    expect(postgres.url).toBe(`postgres://tester:p%40ss%3Aword@127.0.0.1:${postgres.port}/app`);
    expect(await queryOne(postgres.url, 'SELECT 1 AS one')).toEqual({ one: 1 });
    const settings = await queryOne(
      postgres.url,
      "SELECT current_database() AS db, current_user AS usr, current_setting('server_version_num') AS version, current_setting('listen_addresses') AS listen",
    );
    expect(settings).toEqual({
      db: 'app',
      usr: 'tester',
      version: expect.stringMatching(/^17/),
      listen: '127.0.0.1',
    });
    expect(existsSync(`${postgres.dataDir}/PG_VERSION`)).toBe(true);
  });

  it('rejects a wrong password', async () => {
    const postgres = await startPostgres();
    started.push(postgres);
    await expect(queryOne(postgres.url.replace(':postgres@', ':wrong@'), 'SELECT 1')).rejects.toThrow(
      /password authentication failed/,
    );
  });

  it('creates further databases', async () => {
    const postgres = await startPostgres();
    started.push(postgres);
    const secondUrl = await postgres.createDatabase('second');
    expect(secondUrl).toBe(postgres.url.replace(/\/ots$/, '/second'));
    expect(await queryOne(secondUrl, 'SELECT current_database() AS db')).toEqual({ db: 'second' });
  });

  it('stop() ends the postmaster and its backends, even with a client connected, and removes the dir', async () => {
    const postgres = await startPostgres();
    const client = new Client({ connectionString: postgres.url });
    client.on('error', () => undefined); // the shutdown terminates this connection
    await client.connect();
    const backends = childPids(postgres.pid);
    expect(backends.length).toBeGreaterThan(0);

    await postgres.stop();

    expect(signalZeroErrorCode(postgres.pid)).toBe('ESRCH');
    expect(backends.map(signalZeroErrorCode)).toEqual(backends.map(() => 'ESRCH'));
    expect(existsSync(dirname(postgres.dataDir))).toBe(false);
    await expect(postgres.stop()).resolves.toBeUndefined();
    await client.end().catch(() => undefined);
  });

  it('crash() kills the postmaster and every backend; restart() recovers committed data on the same port', async () => {
    const postgres = await startPostgres({ durable: true });
    started.push(postgres);
    await queryOne(postgres.url, 'CREATE TABLE kept (n int)');
    await queryOne(postgres.url, 'INSERT INTO kept VALUES (42)');
    const client = new Client({ connectionString: postgres.url });
    client.on('error', () => undefined); // the crash cuts this connection
    await client.connect();
    const before = postgres.pid;
    const backends = childPids(before);
    expect(backends.length).toBeGreaterThan(0);

    await postgres.crash();

    expect(isRunning(before)).toBe(false);
    // killed, at most a zombie until PID 1 reaps the orphans
    expect(backends.filter(isRunning)).toEqual([]);
    await expect(queryOne(postgres.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    await postgres.restart();
    expect(postgres.pid).not.toBe(before);
    expect(await queryOne(postgres.url, 'SELECT n FROM kept')).toEqual({ n: 42 });
    await client.end().catch(() => undefined);
  });

  it('runs two servers at the same time on different ports', async () => {
    const [first, second] = await Promise.all([startPostgres(), startPostgres()]);
    started.push(first, second);
    expect(first.port).not.toBe(second.port);
    expect(first.dataDir).not.toBe(second.dataDir);
    await first.createDatabase('only_on_first');
    const count = "SELECT count(*)::int AS n FROM pg_database WHERE datname = 'only_on_first'";
    expect(await queryOne(first.url, count)).toEqual({ n: 1 });
    expect(await queryOne(second.url, count)).toEqual({ n: 0 });
  });

  it('fails with the server output when its fixed port is taken', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port }, resolve));
    try {
      await expect(startPostgres({ port })).rejects.toThrow(
        /did not start on 127\.0\.0\.1:\d+[\s\S]*Address already in use/,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
