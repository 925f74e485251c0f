import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { credentials } from '@grpc/grpc-js';
import { pushV1 } from '@ots/contracts';
import { findWorkspaceRoot, runMigrations, SERVICE_DATABASES } from '@ots/db-tools';
import { type RunningService, startService } from '@ots/service-kit';
import { freePort, startNats, startPostgres, type TestNats, type TestPostgres, waitFor } from '@ots/testing';

import { loadPushConfig } from '../src/config';
import { pushService } from '../src/service';

export interface PushFakesProcess {
  readonly fcmUrl: string;
  readonly apnsUrl: string;
  readonly hmsUrl: string;
  readonly credentials: {
    fcmServiceAccount: Record<string, string>;
    apns: { keyId: string; teamId: string; privateKey: string; ca: string };
    hms: { clientId: string; clientSecret: string };
  };
  control(path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

/** The push fakes exactly as docker-compose and `npm start` run them: their own process, on free ports. */
export async function startPushFakesProcess(): Promise<PushFakesProcess> {
  const root = findWorkspaceRoot();
  const [fcmPort, apnsPort, hmsPort] = [await freePort(), await freePort(), await freePort()];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tools/push-fakes/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PUSH_FAKES_HOST: '127.0.0.1',
      PUSH_FAKES_FCM_PORT: String(fcmPort),
      PUSH_FAKES_APNS_PORT: String(apnsPort),
      PUSH_FAKES_HMS_PORT: String(hmsPort),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const fcmUrl = `http://127.0.0.1:${String(fcmPort)}`;
  await waitFor(
    async () => {
      try {
        return (await fetch(`${fcmUrl}/_fake/healthz`)).ok;
      } catch {
        return false;
      }
    },
    { timeoutMs: 20_000, intervalMs: 100, description: 'push fakes' },
  );
  const control = async (path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${fcmUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  };
  return {
    fcmUrl,
    apnsUrl: `https://127.0.0.1:${String(apnsPort)}`,
    hmsUrl: `http://127.0.0.1:${String(hmsPort)}`,
    credentials: (await control('/_fake/credentials')) as PushFakesProcess['credentials'],
    control,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface TestPush {
  readonly postgres: TestPostgres;
  readonly nats: TestNats;
  readonly fakes: PushFakesProcess;
  service: RunningService;
  readonly grpcPort: number;
  readonly client: pushV1.PushServiceClient;
  /** start the service again (after `service.stop()`), same database, NATS and fakes */
  restart(): Promise<void>;
  /** a second instance on its own ports, sharing database, NATS and fakes (stopped by `stop()`) */
  startAnother(): Promise<RunningService>;
  stop(): Promise<void>;
}

/** The push service in-process against a migrated PostgreSQL, NATS with JetStream and the provider fakes. */
export async function startPushForTest(settings: Record<string, string> = {}): Promise<TestPush> {
  const [postgres, nats, fakes] = await Promise.all([startPostgres(), startNats(), startPushFakesProcess()]);
  await runMigrations({
    databaseUrl: postgres.url,
    services: SERVICE_DATABASES.filter((d) => d.service === 'push'),
  });
  const dir = mkdtempSync(join(tmpdir(), 'ots-push-test-'));
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const grpcPort = await freePort();
  const env = {
    DATABASE_URL: postgres.url,
    NATS_URL: nats.url,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(await freePort()),
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: String(grpcPort),
    LOG_LEVEL: 'warn',
    PUSH_FCM_SERVICE_ACCOUNT_FILE: file('fcm.json', JSON.stringify(fakes.credentials.fcmServiceAccount)),
    PUSH_FCM_API_URL: fakes.fcmUrl,
    PUSH_APNS_KEY_FILE: file('apns.p8', fakes.credentials.apns.privateKey),
    PUSH_APNS_KEY_ID: fakes.credentials.apns.keyId,
    PUSH_APNS_TEAM_ID: fakes.credentials.apns.teamId,
    PUSH_APNS_PRODUCTION_URL: fakes.apnsUrl,
    PUSH_APNS_DEVELOPMENT_URL: fakes.apnsUrl,
    PUSH_APNS_CA_FILE: file('apns-ca.pem', fakes.credentials.apns.ca),
    PUSH_HMS_CLIENT_ID: fakes.credentials.hms.clientId,
    PUSH_HMS_CLIENT_SECRET_FILE: file('hms.secret', fakes.credentials.hms.clientSecret),
    PUSH_HMS_OAUTH_URL: `${fakes.hmsUrl}/oauth2/v3/token`,
    PUSH_HMS_API_URL: fakes.hmsUrl,
    PUSH_RETRY_BASE_MS: '50',
    PUSH_RETRY_MAX_MS: '500',
    PUSH_WAKEUP_ACK_WAIT_MS: '2000',
    ...settings,
  };
  const config = loadPushConfig(env);
  const start = () => startService(pushService, config, { service: 'push', version: 'test' });
  const others: RunningService[] = [];
  const client = new pushV1.PushServiceClient(`127.0.0.1:${String(grpcPort)}`, credentials.createInsecure());
  const running: TestPush = {
    postgres,
    nats,
    fakes,
    service: await start(),
    grpcPort,
    client,
    restart: async () => {
      running.service = await start();
    },
    startAnother: async () => {
      const other = await startService(
        pushService,
        loadPushConfig({ ...env, HTTP_PORT: String(await freePort()), GRPC_PORT: String(await freePort()) }),
        { service: 'push', version: 'test' },
      );
      others.push(other);
      return other;
    },
    stop: async () => {
      client.close();
      await Promise.all(others.map((other) => other.stop()));
      await running.service.stop();
      await Promise.all([nats.stop(), postgres.stop(), fakes.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return running;
}

/** Promise form of a unary push.v1 call. */
export function call<Request, Response>(
  method: (request: Request, callback: (error: Error | null, response: Response) => void) => unknown,
  request: Request,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    method(request, (error, response) => {
      if (error) reject(error);
      else resolve(response);
    });
  });
}
