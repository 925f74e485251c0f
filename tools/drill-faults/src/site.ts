import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateX25519KeyPair } from '@ots/crypto';
import { runMigrations } from '@ots/db-tools';
import { startLocalPushFakes } from '@ots/local-stack';
import {
  cleanupRegistry,
  freePort,
  startNats,
  startPostgres,
  type TestNats,
  type TestPostgres,
} from '@ots/testing';
import { Client } from 'pg';

import type { ChatEndpoint } from './drill-client';
import { isReady, ServiceHandle } from './service-handle';

export interface SiteIdentity {
  readonly identity: string;
  readonly secretKey: Uint8Array;
}

export interface SiteOptions {
  readonly root: string;
  readonly identityCount: number;
  /** push: redelivery of a wake-up taken by a push process that died (PUSH_WAKEUP_ACK_WAIT_MS) */
  readonly pushAckWaitMs: number;
  /** the services' LOG_LEVEL */
  readonly logLevel: string;
}

export interface PushFakesProcess {
  readonly child: ChildProcess;
  readonly fcmUrl: string;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const READY_TIMEOUT_MS = 60_000;

/**
 * One site on loopback, every part a real process: durable PostgreSQL (fsync on), NATS with JetStream on a file
 * store, the FCM/APNs/HMS fakes, directory, push, and two mailbox instances sharing the database.
 */
export class Site {
  private stopped = false;

  private constructor(
    private readonly processes: SiteProcesses,
    readonly work: string,
    readonly postgres: TestPostgres,
    readonly nats: TestNats,
    readonly fakes: PushFakesProcess,
    readonly directory: ServiceHandle,
    readonly push: ServiceHandle,
    readonly mailboxes: readonly [ServiceHandle, ServiceHandle],
    readonly endpoints: readonly [ChatEndpoint, ChatEndpoint],
    readonly serverPublicKey: Uint8Array,
    readonly identities: readonly SiteIdentity[],
  ) {}

  get services(): ServiceHandle[] {
    return [this.directory, this.push, ...this.mailboxes];
  }

  static async start(options: SiteOptions): Promise<Site> {
    const work = mkdtempSync(join(tmpdir(), 'ots-drill-faults-'));
    const [postgres, nats] = await Promise.all([startPostgres({ durable: true }), startNats()]);
    const cleanup = async (): Promise<void> => {
      await Promise.all([postgres.stop(), nats.stop()]);
      rmSync(work, { recursive: true, force: true });
    };
    // tracked from the first spawn on: an interrupted start-up leaves no service behind either
    const processes = new SiteProcesses(work);
    const handles = processes.handles;
    try {
      await runMigrations({ databaseUrl: postgres.url });
      const identities = await seedIdentities(postgres.url, options.identityCount);
      const serverKeys = generateX25519KeyPair();
      const keyFile = join(work, 'csp.key');
      writeFileSync(keyFile, Buffer.from(serverKeys.secretKey).toString('hex'), { mode: 0o600 });
      const ports = await Promise.all(Array.from({ length: 13 }, () => freePort()));
      const [fcmPort, apnsPort, hmsPort, dirHttp, dirGrpc, pushHttp, pushGrpc] = ports;
      const mailboxPorts = [ports.slice(7, 10), ports.slice(10, 13)];
      // the fakes exactly as docker-compose and `npm start` run them, their credentials as the push service reads them
      const started = await startLocalPushFakes(
        options.root,
        { fcm: fcmPort, apns: apnsPort, hms: hmsPort },
        join(work, 'push-fakes'),
        Date.now() + 30_000,
        (child) => {
          processes.fakes = child;
        },
      );
      const fakes: PushFakesProcess = { child: started.child, fcmUrl: `http://127.0.0.1:${String(fcmPort)}` };
      const pushProviders = started.pushEnv;
      const common = {
        NATS_URL: nats.url,
        HTTP_HOST: '127.0.0.1',
        LOG_LEVEL: options.logLevel,
        OTS_SITE: 'drill',
      };
      const directory = new ServiceHandle(
        options.root,
        'directory',
        'directory',
        {
          ...common,
          HTTP_PORT: String(dirHttp),
          DATABASE_URL: postgres.url,
          GRPC_HOST: '127.0.0.1',
          GRPC_PORT: String(dirGrpc),
        },
        dirHttp,
      );
      const push = new ServiceHandle(
        options.root,
        'push',
        'push',
        {
          ...common,
          HTTP_PORT: String(pushHttp),
          DATABASE_URL: postgres.url,
          GRPC_HOST: '127.0.0.1',
          GRPC_PORT: String(pushGrpc),
          PUSH_WAKEUP_ACK_WAIT_MS: String(options.pushAckWaitMs),
          ...pushProviders,
        },
        pushHttp,
      );
      const mailboxes = mailboxPorts.map(
        ([http, grpc, csp], index) =>
          new ServiceHandle(
            options.root,
            'mailbox',
            `mailbox-${'ab'[index]}`,
            {
              ...common,
              HTTP_PORT: String(http),
              DATABASE_URL: postgres.url,
              DIRECTORY_GRPC_URL: `127.0.0.1:${String(dirGrpc)}`,
              PUSH_GRPC_URL: `127.0.0.1:${String(pushGrpc)}`,
              GRPC_HOST: '127.0.0.1',
              GRPC_PORT: String(grpc),
              CSP_SERVER_SECRET_KEY_FILE: keyFile,
              CSP_HOST: '127.0.0.1',
              CSP_PORT: String(csp),
            },
            http,
          ),
      ) as [ServiceHandle, ServiceHandle];
      handles.push(directory, push, ...mailboxes);
      directory.start();
      push.start();
      await directory.waitReady(READY_TIMEOUT_MS);
      for (const mailbox of mailboxes) mailbox.start();
      await Promise.all([push, ...mailboxes].map((handle) => handle.waitReady(READY_TIMEOUT_MS)));
      const endpoints = mailboxPorts.map(([, , csp]) => ({ host: '127.0.0.1', port: csp })) as [
        ChatEndpoint,
        ChatEndpoint,
      ];
      return new Site(
        processes,
        work,
        postgres,
        nats,
        fakes,
        directory,
        push,
        mailboxes,
        endpoints,
        serverKeys.publicKey,
        identities,
      );
    } catch (error) {
      await processes.stop();
      await cleanup();
      throw error;
    }
  }

  /** Readiness of every service at once. */
  async allReady(): Promise<boolean> {
    const results = await Promise.all(this.services.map((service) => isReady(service.httpPort)));
    return results.every(Boolean);
  }

  /** The mailboxes' ots_mailbox_wakeups_total lines (since each one's last start). */
  async mailboxWakeUpCounters(): Promise<string> {
    const lines = await Promise.all(
      this.mailboxes.map(async (mailbox) => {
        try {
          const text = await (
            await fetch(`http://127.0.0.1:${String(mailbox.httpPort)}/metrics`, {
              signal: AbortSignal.timeout(2_000),
            })
          ).text();
          const counts = text
            .split('\n')
            .filter((line) => line.startsWith('ots_mailbox_wakeups_total{'))
            .map((line) => line.replace('ots_mailbox_wakeups_total', ''));
          return `${mailbox.name} ${counts.join(' ')}`;
        } catch {
          return `${mailbox.name} (no metrics)`;
        }
      }),
    );
    return lines.join('; ');
  }

  /** Every service's output so far (for a failed run's diagnostics). */
  serviceOutput(): string {
    return this.services.map((service) => `== ${service.name}\n${service.output()}`).join('\n');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.processes.stop();
    await Promise.all([this.postgres.stop(), this.nats.stop()]);
    rmSync(this.work, { recursive: true, force: true });
  }
}

/**
 * The services and the push fakes, in the process cleanup registry while they run (exit: SIGKILL; SIGINT or
 * SIGTERM: a graceful stop). PostgreSQL and NATS have their own entries there.
 */
class SiteProcesses {
  readonly handles: ServiceHandle[] = [];
  fakes: ChildProcess | undefined;
  private readonly untrack = cleanupRegistry.track({
    description: 'drill-faults services and push fakes',
    stop: () => this.stopAll(),
    killNow: () => {
      for (const handle of this.handles) handle.killNow();
      if (this.fakes?.exitCode === null) this.fakes.kill('SIGKILL');
      rmSync(this.work, { recursive: true, force: true });
    },
  });

  /** `work` holds the keys and provider credentials the services read; removed with them */
  constructor(private readonly work: string) {}

  async stop(): Promise<void> {
    await this.stopAll();
    this.untrack();
  }

  private async stopAll(): Promise<void> {
    await Promise.all(this.handles.map((handle) => handle.stop()));
    const fakes = this.fakes;
    if (fakes?.exitCode === null && fakes.signalCode === null) {
      const exited = new Promise((resolve) => fakes.once('exit', resolve));
      fakes.kill('SIGTERM');
      await exited;
    }
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** Identities with fresh key pairs, written straight into the directory's table (as bench-mailbox does). */
async function seedIdentities(databaseUrl: string, count: number): Promise<SiteIdentity[]> {
  const identities: SiteIdentity[] = [];
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids: string[] = [];
    const keys: string[] = [];
    for (let i = 0; i < count; i += 1) {
      let n = i;
      let id = '';
      for (let d = 0; d < 7; d += 1) {
        id = (ALPHABET[n % 36] ?? '0') + id;
        n = Math.floor(n / 36);
      }
      const pair = generateX25519KeyPair();
      identities.push({ identity: `F${id}`, secretKey: pair.secretKey });
      ids.push(`F${id}`);
      keys.push(`\\x${Buffer.from(pair.publicKey).toString('hex')}`);
    }
    await client.query(
      `INSERT INTO directory.identity (id, public_key, server_group) SELECT id, key, '00' FROM unnest($1::text[], $2::bytea[]) AS t(id, key)`,
      [ids, keys],
    );
  } finally {
    await client.end();
  }
  return identities;
}
