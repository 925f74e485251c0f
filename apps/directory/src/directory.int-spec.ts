import { credentials, status } from '@grpc/grpc-js';
import { directoryV1 } from '@ots/contracts';
import { createDirectoryPrismaClient, PrismaIdentityRepository } from '@ots/directory-db';
import { httpGet } from '@ots/testing';

import { startDirectoryForTest, type TestDirectory } from '../test/start-directory';

describe('directory service (real PostgreSQL and NATS)', () => {
  let directory: TestDirectory;
  let client: directoryV1.DirectoryServiceClient;

  beforeAll(async () => {
    directory = await startDirectoryForTest();
    client = new directoryV1.DirectoryServiceClient(
      `127.0.0.1:${String(directory.grpcPort)}`,
      credentials.createInsecure(),
    );
    const db = createDirectoryPrismaClient(directory.postgres.url, 2);
    await new PrismaIdentityRepository(db).insert({
      id: 'ECHOECHO',
      publicKey: new Uint8Array(32).fill(9),
      serverGroup: '0a',
      featureMask: 0x3fn,
    });
    await db.$disconnect();
  });

  afterAll(async () => {
    client.close();
    await directory.stop();
  });

  const base = () => directory.url('').replace(/\/$/, '');

  function getIdentities(ids: string[]): Promise<directoryV1.GetIdentitiesResponse> {
    return new Promise((resolve, reject) => {
      client.getIdentities({ identities: ids }, (error, response) => {
        if (error) reject(error);
        else resolve(response);
      });
    });
  }

  it('answers /healthz and reports database and NATS ready on /readyz', async () => {
    expect(await httpGet(`${base()}/healthz`)).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(await httpGet(`${base()}/readyz`)).toMatchObject({
      status: 200,
      json: { status: 'ready', checks: { database: 'up', nats: 'up' } },
    });
  });

  it('exposes Prometheus metrics labelled by service, site and route pattern', async () => {
    await httpGet(`${base()}/healthz`);
    const metrics = await httpGet(`${base()}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toMatch(
      /ots_http_server_request_duration_seconds_count\{service="directory",site="local",method="GET",route="\/healthz",status_code="200"\} [1-9]/,
    );
  });

  it('serves directory.v1 GetIdentities from the database over gRPC', async () => {
    const response = await getIdentities(['ECHOECHO', 'NOTFOUND']);
    expect(response.unknown).toEqual(['NOTFOUND']);
    expect(response.identities).toHaveLength(1);
    const [identity] = response.identities;
    expect(identity.identity).toBe('ECHOECHO');
    expect(Buffer.from(identity.publicKey).equals(Buffer.alloc(32, 9))).toBe(true);
    expect(identity.state).toBe(directoryV1.IdentityState.IDENTITY_STATE_ACTIVE);
    expect(identity.featureMask).toBe(0x3fn);
    expect(identity.serverGroup).toBe('0a');
  });

  it('answers a malformed identity with INVALID_ARGUMENT and keeps serving', async () => {
    await expect(getIdentities(['echo'])).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(getIdentities(['ECHOECHO'])).resolves.toMatchObject({ unknown: [] });
  });

  it('answers 404 for unknown paths without crashing', async () => {
    expect((await httpGet(`${base()}/nothing-here`)).status).toBe(404);
    expect((await httpGet(`${base()}/healthz`)).status).toBe(200);
  });

  it('reports not ready when NATS goes away (last: it stops NATS)', async () => {
    await directory.nats.stop();
    const ready = await httpGet(`${base()}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ status: 'not ready', checks: { nats: 'down', database: 'up' } });
  });
});
