import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { x25519PublicKeyFromSecret } from '@ots/crypto';
import { findWorkspaceRoot, runMigrations } from '@ots/db-tools';
import {
  freePort,
  httpGet,
  startNats,
  startPostgres,
  type TestNats,
  type TestPostgres,
  waitFor,
  waitForBuiltServiceReady,
} from '@ots/testing';
import { type BuiltServiceProcess, jsonLines, type Service, SERVICES, spawnBuiltService } from '@ots/testing';

// End to end at the process level: the five compiled services start with validated configuration, become ready
// against real PostgreSQL and NATS, log JSON with service/version/site, and stop cleanly on SIGTERM.
const root = findWorkspaceRoot(__dirname);

describe('the five services as processes', () => {
  let postgres: TestPostgres;
  let nats: TestNats;
  const running = new Map<Service, { process: BuiltServiceProcess; httpPort: number }>();
  let baseEnv: (service: Service, httpPort: number) => Record<string, string>;
  let keysDir = '';

  beforeAll(async () => {
    [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
    await runMigrations({ databaseUrl: postgres.url });
    keysDir = mkdtempSync(join(tmpdir(), 'ots-keys-'));
    const keyFile = join(keysDir, 'csp-server.key');
    writeFileSync(keyFile, `${'5a'.repeat(32)}\n`, { mode: 0o600 });
    const serverPublicKey = Buffer.from(x25519PublicKeyFromSecret(Buffer.from('5a'.repeat(32), 'hex')));
    // the data export logs in as *MY3DATA (docs/adr/0018-system-identities.md): its key file, registered in the directory
    const my3dataKeyFile = join(keysDir, 'my3data.key');
    writeFileSync(my3dataKeyFile, `${'6b'.repeat(32)}\n`, { mode: 0o600 });
    const my3dataPublicKey = Buffer.from(x25519PublicKeyFromSecret(Buffer.from('6b'.repeat(32), 'hex')));
    const grpcPort = await freePort();
    const mailboxPorts = { push: await freePort(), grpc: await freePort(), csp: await freePort() };
    baseEnv = (service, httpPort) => ({
      OTS_SITE: 'site-test',
      LOG_LEVEL: 'info',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      NATS_URL: nats.url,
      ...(service === 'directory'
        ? {
            DATABASE_URL: postgres.url,
            GRPC_HOST: '127.0.0.1',
            GRPC_PORT: String(grpcPort),
            DIRECTORY_SYSTEM_IDENTITIES: `*MY3DATA:${my3dataPublicKey.toString('base64')}`,
          }
        : {}),
      ...(service === 'data-export'
        ? {
            PUSH_GRPC_URL: `127.0.0.1:${String(mailboxPorts.push)}`,
            MAILBOX_GRPC_URL: `127.0.0.1:${String(mailboxPorts.grpc)}`,
            MAILBOX_CSP_HOST: '127.0.0.1',
            MAILBOX_CSP_PORT: String(mailboxPorts.csp),
            MAILBOX_CSP_PUBLIC_KEY: serverPublicKey.toString('base64'),
            MY3DATA_SECRET_KEY_FILE: my3dataKeyFile,
          }
        : {}),
      ...(service === 'push'
        ? { DATABASE_URL: postgres.url, GRPC_HOST: '127.0.0.1', GRPC_PORT: String(mailboxPorts.push) }
        : {}),
      // push.v1 on the port the mailbox dials
      ...(service === 'push'
        ? { DATABASE_URL: postgres.url, GRPC_HOST: '127.0.0.1', GRPC_PORT: String(mailboxPorts.push) }
        : {}),
      ...(service === 'mailbox' || service === 'contact-sync' || service === 'data-export'
        ? { DIRECTORY_GRPC_URL: `127.0.0.1:${String(grpcPort)}` }
        : {}),
      ...(service === 'mailbox'
        ? {
            CSP_SERVER_SECRET_KEY_FILE: keyFile,
            DATABASE_URL: postgres.url,
            PUSH_GRPC_URL: `127.0.0.1:${String(mailboxPorts.push)}`,
            GRPC_HOST: '127.0.0.1',
            GRPC_PORT: String(mailboxPorts.grpc),
            CSP_HOST: '127.0.0.1',
            CSP_PORT: String(mailboxPorts.csp),
          }
        : {}),
    });
    for (const service of SERVICES) {
      const httpPort = await freePort();
      running.set(service, {
        process: spawnBuiltService(root, service, baseEnv(service, httpPort)),
        httpPort,
      });
    }
  }, 60_000);

  afterAll(async () => {
    for (const { process: service } of running.values()) service.child.kill('SIGKILL');
    await Promise.all([nats.stop(), postgres.stop()]);
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('all five become ready with their dependencies reachable', async () => {
    for (const [service, { httpPort, process: child }] of running) {
      await waitForBuiltServiceReady(child, service, httpPort, 30_000);
      expect((await httpGet(`http://127.0.0.1:${String(httpPort)}/healthz`)).json).toEqual({ status: 'ok' });
      expect((await httpGet(`http://127.0.0.1:${String(httpPort)}/metrics`)).body).toContain(
        `service="${service}",site="site-test"`,
      );
    }
  }, 60_000);

  it('each logs JSON lines carrying service, version and site', () => {
    for (const [service, { process: child }] of running) {
      const lines = jsonLines(child.stdout());
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line).toMatchObject({ service, site: 'site-test' });
        expect(typeof line.version).toBe('string');
      }
    }
  });

  it('each stops gracefully on SIGTERM with exit code 0', async () => {
    for (const [service, { process: child }] of running) {
      child.child.kill('SIGTERM');
      const exit = await child.exited;
      expect({ service, ...exit }).toEqual({ service, code: 0, signal: null });
      expect(jsonLines(child.stdout()).some((line) => line.msg === 'shutting down')).toBe(true);
    }
  }, 60_000);

  it.each(SERVICES.map((service) => [service]))(
    '%s exits non-zero on a bad config value and names it',
    async (service) => {
      const env = { ...baseEnv(service, 1), HTTP_PORT: 'not-a-port', SHUTDOWN_GRACE_MS: '-5' };
      const child = spawnBuiltService(root, service, env);
      const exit = await child.exited;
      expect(exit.code).toBe(1);
      const [fatal] = jsonLines(child.stderr());
      expect(fatal).toMatchObject({ level: 'fatal', service });
      expect(String(fatal.msg)).toMatch(/HTTP_PORT must be a TCP port/);
      expect(String(fatal.msg)).toMatch(/SHUTDOWN_GRACE_MS must be > 0/);
    },
    30_000,
  );

  it('stays alive without NATS: /healthz answers, /readyz says not ready, SIGTERM still exits 0', async () => {
    const httpPort = await freePort();
    const env = {
      ...baseEnv('push', httpPort),
      NATS_URL: `nats://127.0.0.1:${String(await freePort())}`,
      // its own gRPC port: the push of the suite holds the shared one
      GRPC_PORT: String(await freePort()),
    };
    const child = spawnBuiltService(root, 'push', env);
    try {
      await waitFor(
        async () => (await httpGet(`http://127.0.0.1:${String(httpPort)}/healthz`)).status === 200,
        { timeoutMs: 20_000, description: 'push /healthz without NATS' },
      );
      const ready = await httpGet(`http://127.0.0.1:${String(httpPort)}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({ checks: { nats: 'down' } });
      child.child.kill('SIGTERM');
      expect((await child.exited).code).toBe(0);
    } finally {
      child.child.kill('SIGKILL');
    }
  }, 40_000);
});
