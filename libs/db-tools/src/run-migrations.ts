import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { SERVICE_DATABASES, type ServiceDatabase } from './service-databases';
import { findWorkspaceRoot } from './workspace-root';

export interface MigrationOptions {
  readonly databaseUrl: string;
  readonly services?: readonly ServiceDatabase[];
  readonly workspaceRoot?: string;
  /** progress lines (service names and timings only: never the URL, which carries a password) */
  readonly log?: (line: string) => void;
}

export class MigrationError extends Error {
  constructor(
    readonly service: string,
    readonly output: string,
  ) {
    super(`migrations for ${service} failed:\n${output}`);
    this.name = 'MigrationError';
  }
}

/**
 * `prisma migrate deploy` for each service schema with Prisma 6.19's Wasm schema engine: no native engine is
 * downloaded, so this works offline. It runs as its own step, never inside a service's start-up.
 */
export async function runMigrations(options: MigrationOptions): Promise<void> {
  const root = options.workspaceRoot ?? findWorkspaceRoot();
  for (const database of options.services ?? SERVICE_DATABASES) {
    const started = Date.now();
    await deploy(root, database, options.databaseUrl);
    options.log?.(
      `migrated ${database.service} (schema ${database.schema}) in ${String(Date.now() - started)} ms`,
    );
  }
}

function deploy(root: string, database: ServiceDatabase, databaseUrl: string): Promise<void> {
  const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
  const timerPatch = join(root, 'tools', 'prisma', 'unref-long-timers.cjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: join(root, database.projectDir),
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        NODE_OPTIONS: `--require ${timerPatch}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new MigrationError(database.service, output.split(databaseUrl).join('[database url]')));
    });
  });
}
