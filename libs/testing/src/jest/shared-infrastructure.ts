import { startNats, type TestNats } from '../nats/start-nats';
import { startPostgres, type TestPostgres } from '../postgres/start-postgres';

/** Environment variables through which Jest global setup hands the shared servers to test files. */
export const TEST_DATABASE_URL = 'TEST_DATABASE_URL';
export const TEST_NATS_URL = 'TEST_NATS_URL';

export interface SharedInfrastructure {
  readonly postgres: TestPostgres;
  readonly nats: TestNats;
}

// globalSetup and globalTeardown run in Jest's main process and share this module through Node's require cache
let current: SharedInfrastructure | undefined;

/**
 * Starts one PostgreSQL and one NATS for a whole Jest run and publishes their URLs as TEST_DATABASE_URL and
 * TEST_NATS_URL (test workers inherit the environment). Meant for a jest.int.config's globalSetup; see
 * jest/global-setup.ts. Calling it again returns the running servers.
 */
export async function startSharedInfrastructure(): Promise<SharedInfrastructure> {
  if (current) return current;
  const [postgres, nats] = await Promise.allSettled([startPostgres(), startNats()]);
  if (postgres.status === 'rejected' || nats.status === 'rejected') {
    // do not leave the one that did start running
    const started = [postgres, nats].flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    await Promise.allSettled(started.map((server) => server.stop()));
    throw postgres.status === 'rejected' ? postgres.reason : (nats as PromiseRejectedResult).reason;
  }
  current = { postgres: postgres.value, nats: nats.value };
  process.env[TEST_DATABASE_URL] = current.postgres.url;
  process.env[TEST_NATS_URL] = current.nats.url;
  return current;
}

/** Stops what startSharedInfrastructure started and clears the variables. Does nothing if nothing runs. */
export async function stopSharedInfrastructure(): Promise<void> {
  const running = current;
  current = undefined;
  delete process.env.TEST_DATABASE_URL;
  delete process.env.TEST_NATS_URL;
  if (!running) return;
  await Promise.all([running.postgres.stop(), running.nats.stop()]);
}

/** For test files: the shared servers' URLs, or an error that explains the missing globalSetup. */
export function sharedInfrastructureUrls(): { databaseUrl: string; natsUrl: string } {
  const databaseUrl = process.env[TEST_DATABASE_URL];
  const natsUrl = process.env[TEST_NATS_URL];
  if (!databaseUrl || !natsUrl) {
    throw new Error(
      `${TEST_DATABASE_URL} / ${TEST_NATS_URL} are not set: add globalSetup/globalTeardown from libs/testing/src/jest to this project's jest.int.config.js`,
    );
  }
  return { databaseUrl, natsUrl };
}
