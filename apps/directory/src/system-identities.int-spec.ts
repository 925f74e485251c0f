import { runMigrations } from '@ots/db-tools';
import { createDirectoryPrismaClient } from '@ots/directory-db';
import { startService } from '@ots/service-kit';
import { freePort, startNats, startPostgres, type TestNats, type TestPostgres } from '@ots/testing';

import { TestDirectoryGrpcClient } from '../test/grpc-client';
import { loadDirectoryConfig } from './config';
import { directoryService } from './service';

describe('system identities from DIRECTORY_SYSTEM_IDENTITIES (real PostgreSQL, NATS, gRPC)', () => {
  let postgres: TestPostgres;
  let nats: TestNats;

  beforeAll(async () => {
    [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
    await runMigrations({ databaseUrl: postgres.url });
  });

  afterAll(async () => {
    await Promise.all([nats.stop(), postgres.stop()]);
  });

  async function startWith(systemIdentities: string) {
    const grpcPort = await freePort();
    const config = loadDirectoryConfig({
      DATABASE_URL: postgres.url,
      NATS_URL: nats.url,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(await freePort()),
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(grpcPort),
      LOG_LEVEL: 'warn',
      DIRECTORY_SERVER_GROUP: '0b',
      DIRECTORY_SYSTEM_IDENTITIES: systemIdentities,
    });
    const service = await startService(directoryService, config, { service: 'directory', version: 'test' });
    return { service, client: new TestDirectoryGrpcClient(grpcPort) };
  }

  it('registers a * identity at start and replaces its key when the configuration rotates it', async () => {
    const first = Buffer.alloc(32, 0x11);
    const second = Buffer.alloc(32, 0x22);

    const one = await startWith(`*MY3DATA:${first.toString('base64')}`);
    const found = await one.client.getIdentities(['*MY3DATA']);
    expect(found.unknown).toEqual([]);
    expect(Buffer.from(found.identities[0]?.publicKey ?? []).equals(first)).toBe(true);
    expect(found.identities[0]?.serverGroup).toBe('0b');
    one.client.close();
    await one.service.stop();

    const two = await startWith(`*MY3DATA:${second.toString('base64')}`);
    const rotated = await two.client.getIdentities(['*MY3DATA']);
    expect(Buffer.from(rotated.identities[0]?.publicKey ?? []).equals(second)).toBe(true);
    two.client.close();
    await two.service.stop();

    const db = createDirectoryPrismaClient(postgres.url, 1);
    expect(await db.identity.count({ where: { id: '*MY3DATA' } })).toBe(1);
    await db.$disconnect();
  });

  it('refuses a malformed value at boot, naming the variable and not the value', () => {
    const secretLooking = 'ABCD1234:notakey';
    expect(() =>
      loadDirectoryConfig({
        DATABASE_URL: postgres.url,
        NATS_URL: nats.url,
        DIRECTORY_SYSTEM_IDENTITIES: secretLooking,
      }),
    ).toThrow(/DIRECTORY_SYSTEM_IDENTITIES/);
    try {
      loadDirectoryConfig({
        DATABASE_URL: postgres.url,
        NATS_URL: nats.url,
        DIRECTORY_SYSTEM_IDENTITIES: secretLooking,
      });
    } catch (error) {
      expect((error as Error).message).not.toContain(secretLooking);
    }
  });
});
