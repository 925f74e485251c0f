// `npm run db:migrate`: apply every service's migrations to DATABASE_URL, then exit.
import { ConfigError, loadConfig, url } from '@ots/config';

import { runMigrations } from './run-migrations';

async function main(): Promise<void> {
  const config = loadConfig({ DATABASE_URL: url(['postgres', 'postgresql']) });
  await runMigrations({ databaseUrl: config.DATABASE_URL, log: (line) => process.stdout.write(`${line}\n`) });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
