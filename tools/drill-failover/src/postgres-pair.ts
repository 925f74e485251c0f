// PostgreSQL for two sites: a primary at site A and a synchronous streaming-replication standby at site B
// (docs/adr/0021-failover-drill.md). The standby is a cold copy of the primary's data directory, taken after a
// clean shutdown of the freshly initialised and migrated primary: no pg_basebackup is needed, and a cleanly shut
// down cluster is a consistent copy by definition.
import { execFile } from 'node:child_process';
import { appendFile, chown, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import {
  createDatabase,
  freePort,
  initCluster,
  type OsUser,
  postgresBinaries,
  postgresEnv,
  postgresOsUser,
  postgresUrl,
  ServerProcess,
  ServerResource,
  waitFor,
} from '@ots/testing';
import { Client } from 'pg';

import { killTree } from './process-tree';

const run = promisify(execFile);
const USER = 'postgres';
/** application_name under which each site's server streams from the other: what synchronous_standby_names lists */
export const STANDBY_NAME = { siteA: 'site_a', siteB: 'site_b' } as const;

const READY_PRIMARY = /database system is ready to accept connections/;
const READY_STANDBY = /database system is ready to accept read-only connections/;

/** WAL settings for streaming replication; written to postgresql.conf before the copy, so both sites have them. */
const REPLICATION_SETTINGS = [
  'wal_level = replica',
  'max_wal_senders = 10',
  'hot_standby = on',
  // the standby streams without a slot; enough WAL is kept for it to catch up after a short stall
  "wal_keep_size = '256MB'",
  'synchronous_commit = on',
];

export interface PostgresNode {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  /** the database URL on this server (not through the database name) */
  url(database: string): string;
  query<T extends Record<string, unknown>>(sql: string): Promise<T[]>;
  /** SIGKILL to the postmaster and all its backends */
  kill(): number;
  stop(): Promise<void>;
}

export interface SyncPair {
  readonly primary: PostgresNode;
  readonly standby: PostgresNode;
}

export interface SyncPairOptions {
  readonly password: string;
  readonly database: string;
  /** runs on the primary before the copy: migrations, seed data */
  readonly prepare: (databaseUrl: string) => Promise<void>;
  /**
   * false only for the drill's negative control: B never streams from A and A commits alone, so whatever A
   * acknowledged after the copy is missing at B (the drill must then report lost messages)
   */
  readonly replicate?: boolean;
  readonly onLog?: (line: string) => void;
}

/** Spawns postgres on dataDir (durable: fsync and synchronous commit stay on) and waits until it is ready. */
async function launch(
  resource: ServerResource,
  dataDir: string,
  port: number,
  owner: OsUser | undefined,
  ready: RegExp,
  onLog: ((line: string) => void) | undefined,
): Promise<ServerProcess> {
  const settings = [
    'listen_addresses=127.0.0.1',
    'unix_socket_directories=',
    'dynamic_shared_memory_type=mmap',
  ];
  const server = ServerProcess.spawn(
    postgresBinaries().postgres,
    ['-D', dataDir, '-p', String(port), ...settings.flatMap((setting) => ['-c', setting])],
    { owner, env: postgresEnv(), onLog },
  );
  resource.attach(server);
  try {
    await server.waitForOutput(ready, 60_000);
  } catch (error) {
    throw new Error(
      `PostgreSQL on port ${String(port)} did not start (${String(error)}):\n${server.output.toString()}`,
    );
  }
  server.releaseEventLoop();
  return server;
}

function node(
  name: string,
  server: ServerProcess,
  port: number,
  password: string,
  resource: ServerResource,
): PostgresNode {
  const url = (database: string) => postgresUrl({ user: USER, password, port, database });
  return {
    name,
    port,
    pid: server.pid,
    url,
    async query<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
      const client = new Client({ connectionString: url('postgres'), connectionTimeoutMillis: 5_000 });
      client.on('error', () => undefined);
      await client.connect();
      try {
        return (await client.query<T>(sql)).rows;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    kill: () => killTree(server.pid),
    stop: () => resource.stop(),
  };
}

async function ownedFile(path: string, content: string, owner: OsUser | undefined): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  if (owner) await chown(path, owner.uid, owner.gid);
}

export async function startSyncPair(options: SyncPairOptions): Promise<SyncPair> {
  const owner = await postgresOsUser();
  const resourceOptions = {
    stopSignal: 'SIGINT' as const,
    urgentSignal: 'SIGQUIT' as const,
    killAfterMs: 10_000,
  };
  const siteA = await ServerResource.create({
    ...resourceOptions,
    dirPrefix: 'ots-drill-pg-a-',
    description: 'postgres site A',
  });
  const siteB = await ServerResource.create({
    ...resourceOptions,
    dirPrefix: 'ots-drill-pg-b-',
    description: 'postgres site B',
  });
  try {
    const dataA = join(siteA.dir, 'data');
    const dataB = join(siteB.dir, 'data');
    await initCluster({
      binaries: postgresBinaries(),
      baseDir: siteA.dir,
      dataDir: dataA,
      owner,
      user: USER,
      password: options.password,
      onLog: options.onLog,
      onSpawn: (initdb) => {
        siteA.attach(initdb);
      },
    });
    await appendFile(join(dataA, 'postgresql.conf'), `\n${REPLICATION_SETTINGS.join('\n')}\n`);

    // 1. the primary alone: create the database, migrate, seed
    const portA = await freePort();
    const first = await launch(siteA, dataA, portA, owner, READY_PRIMARY, options.onLog);
    const serverUrl = postgresUrl({
      user: USER,
      password: options.password,
      port: portA,
      database: 'postgres',
    });
    await options.prepare(await createDatabase(serverUrl, options.database));

    // 2. clean shutdown (a shutdown checkpoint, nothing in flight), then the cold copy for site B
    await first.stop('SIGINT', 30_000);
    if (first.describeExit() !== 'exited with code 0')
      throw new Error(`the primary's clean shutdown failed: it ${first.describeExit()}`);
    await run('chmod', ['0711', siteB.dir]);
    await run('cp', ['-a', dataA, dataB]);

    // 3. B is A's standby, streaming as site_b; once promoted it would want A back as its synchronous standby
    //    (as values-site-b.yaml lists it), which is why the runbook relaxes durability when A is lost
    await ownedFile(join(dataB, 'standby.signal'), '', owner);
    await appendFile(
      join(dataB, 'postgresql.auto.conf'),
      `synchronous_standby_names = '${STANDBY_NAME.siteA}'\n`,
    );
    if (options.replicate ?? true) {
      await appendFile(
        join(dataB, 'postgresql.auto.conf'),
        `primary_conninfo = 'host=127.0.0.1 port=${String(portA)} user=${USER} password=${options.password} application_name=${STANDBY_NAME.siteB}'\n`,
      );
      // A commits only once B has flushed the WAL
      await appendFile(
        join(dataA, 'postgresql.auto.conf'),
        `synchronous_standby_names = '${STANDBY_NAME.siteB}'\n`,
      );
    }

    const primaryServer = await launch(siteA, dataA, portA, owner, READY_PRIMARY, options.onLog);
    const portB = await freePort();
    const standbyServer = await launch(siteB, dataB, portB, owner, READY_STANDBY, options.onLog);
    return {
      primary: node('site A', primaryServer, portA, options.password, siteA),
      standby: node('site B', standbyServer, portB, options.password, siteB),
    };
  } catch (error) {
    await Promise.allSettled([siteA.stop(), siteB.stop()]);
    throw error;
  }
}

export interface ReplicationState {
  readonly applicationName: string;
  readonly state: string;
  readonly syncState: string;
}

/** The health check of docs/operations/two-sites.md, on the primary: who streams, and is it synchronous? */
export async function replicationState(primary: PostgresNode): Promise<ReplicationState[]> {
  const rows = await primary.query<{ application_name: string; state: string; sync_state: string }>(
    'SELECT application_name, state, sync_state FROM pg_stat_replication',
  );
  return rows.map((row) => ({
    applicationName: row.application_name,
    state: row.state,
    syncState: row.sync_state,
  }));
}

export async function waitForSyncStandby(primary: PostgresNode, timeoutMs: number): Promise<void> {
  await waitFor(
    async () =>
      (await replicationState(primary)).some(
        (row) =>
          row.applicationName === STANDBY_NAME.siteB && row.state === 'streaming' && row.syncState === 'sync',
      ),
    { timeoutMs, intervalMs: 100, description: `${STANDBY_NAME.siteB} streaming as a sync standby` },
  );
}

/** Failover step 3: promote without a token, then relax durability (the synchronous standby, A, is gone). */
export async function promoteAndRelax(standby: PostgresNode): Promise<void> {
  const promoted = await standby.query<{ ok: boolean }>('SELECT pg_promote(true, 30) AS ok');
  if (promoted.at(0)?.ok !== true) throw new Error('pg_promote did not finish within 30 s');
  await standby.query("ALTER SYSTEM SET synchronous_standby_names = ''");
  await standby.query('SELECT pg_reload_conf()');
  await waitFor(
    async () => {
      const rows = await standby.query<{ recovery: boolean; names: string }>(
        "SELECT pg_is_in_recovery() AS recovery, current_setting('synchronous_standby_names') AS names",
      );
      return rows.at(0)?.recovery === false && rows.at(0)?.names === '';
    },
    { timeoutMs: 10_000, intervalMs: 50, description: 'site B primary with synchronous_standby_names empty' },
  );
}
