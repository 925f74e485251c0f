import { runMigrations } from '@ots/db-tools';
import { type RunningService, startService } from '@ots/service-kit';
import { freePort, startNats, startPostgres, type TestNats, type TestPostgres } from '@ots/testing';

import { loadDirectoryConfig } from '../src/config';
import { directoryService } from '../src/service';

export interface TestDirectory {
  readonly postgres: TestPostgres;
  readonly nats: TestNats;
  readonly service: RunningService;
  readonly grpcPort: number;
  /** http://127.0.0.1:<port>/<path> */
  url(path: string): string;
  stop(): Promise<void>;
}

/** The directory in-process against a fresh, migrated PostgreSQL and a NATS server, on free loopback ports. */
export async function startDirectoryForTest(settings: Record<string, string> = {}): Promise<TestDirectory> {
  const [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
  await runMigrations({ databaseUrl: postgres.url });
  const grpcPort = await freePort();
  const config = loadDirectoryConfig({
    DATABASE_URL: postgres.url,
    NATS_URL: nats.url,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(await freePort()),
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: String(grpcPort),
    LOG_LEVEL: 'warn',
    ...settings,
  });
  const service = await startService(directoryService, config, { service: 'directory', version: 'test' });
  return {
    postgres,
    nats,
    service,
    grpcPort,
    url: (path) => `http://127.0.0.1:${String(service.httpPort)}/${path}`,
    stop: async () => {
      await service.stop();
      await Promise.all([nats.stop(), postgres.stop()]);
    },
  };
}
