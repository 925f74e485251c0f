// The whole system as real processes, started like `npm start` does (tools/local-stack: same environment, keys and
// OPPF), but on free ports, in a temp folder, with durable PostgreSQL, and with limits meant for one client
// machine lifted (every soak client comes from 127.0.0.1). The push provider fakes run inside this process so
// that the soak sees each wake-up per device token.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { findWorkspaceRoot, runMigrations } from '@ots/db-tools';
import {
  dataLayout,
  ensureKeys,
  type LocalKeys,
  type LocalPorts,
  SERVICE_NAMES,
  serviceEnvironments,
  type ServiceName,
  waitForHttpOk,
  writeProvisioningFile,
} from '@ots/local-stack';
import { type PushFakes, startPushFakes } from '@ots/push-fakes';
import {
  type BuiltServiceProcess,
  cleanupRegistry,
  freePorts,
  spawnBuiltService,
  startNats,
  startPostgres,
  type TestNats,
  type TestPostgres,
} from '@ots/testing';

import type { WatchedProcess } from './process-sampler';

const READY_TIMEOUT_MS = 60_000;

/** Limits that guard a real deployment against one abusive source or identity; the soak is one source. */
const SOAK_LIMITS: Partial<Record<ServiceName, Record<string, string>>> = {
  directory: {
    DIRECTORY_CREATE_PER_SOURCE_PER_HOUR: '100000',
    DIRECTORY_LOOKUPS_PER_SOURCE_PER_MINUTE: '100000000',
    DIRECTORY_SIGNED_PER_IDENTITY_PER_MINUTE: '100000',
  },
  mailbox: { MAILBOX_QUEUE_QUOTA: '100000' },
  'contact-sync': {
    CONTACT_SYNC_REQUESTS_PER_IDENTITY_PER_MINUTE: '100000',
    CONTACT_SYNC_HASHES_PER_IDENTITY_PER_DAY: '100000000',
  },
  'data-export': { DATA_EXPORT_PER_IDENTITY_PER_HOUR: '100000' },
};

export interface SmsGateway {
  /** texts received, newest last (the soak links only a few numbers, so this stays small) */
  readonly texts: { to: string; text: string }[];
  readonly url: string;
  readonly server: Server;
}

/** A local SMS gateway in the directory's wire format (docs/adr/0011): keeps each message. */
async function startSmsGateway(): Promise<SmsGateway> {
  const texts: { to: string; text: string }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      texts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string });
      response.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { texts, url: `http://127.0.0.1:${String(port)}/messages`, server };
}

export interface SoakSystem {
  readonly ports: LocalPorts;
  readonly keys: LocalKeys;
  readonly oppfFile: string;
  readonly directoryUrl: string;
  readonly contactSyncUrl: string;
  readonly pushFakes: PushFakes;
  readonly sms: SmsGateway;
  readonly postgres: TestPostgres;
  readonly nats: TestNats;
  readonly services: Record<ServiceName, BuiltServiceProcess>;
  /** the processes the sampler watches */
  readonly watched: WatchedProcess[];
  /** services that exited before stop(), with their exit code */
  readonly crashed: { name: ServiceName; code: number | null; signal: string | null }[];
  stop(): Promise<void>;
}

async function freeLocalPorts(): Promise<LocalPorts> {
  // distinct ports chosen at once (another process may still take one before a service binds it: see the retry)
  const ports = await freePorts(11);
  const next = (): number => {
    const port = ports.shift();
    if (port === undefined) throw new Error('not enough free ports');
    return port;
  };
  return {
    publicHttp: next(),
    postgres: 0,
    nats: 0,
    natsMonitor: 0,
    csp: next(),
    pushFakes: { fcm: 0, apns: 0, hms: 0 },
    services: {
      directory: { http: next(), grpc: next() },
      mailbox: { http: next(), grpc: next() },
      push: { http: next(), grpc: next() },
      'contact-sync': { http: next() },
      'data-export': { http: next() },
    },
  };
}

function pushEnvFrom(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

const START_ATTEMPTS = 3;

/** Starts the system; a port taken by another process between choosing and binding it means a fresh try. */
export async function startSoakSystem(log: (line: string) => void): Promise<SoakSystem> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startSoakSystemOnce(log);
    } catch (error) {
      const portTaken = error instanceof Error && error.message.includes('EADDRINUSE');
      if (!portTaken || attempt >= START_ATTEMPTS) throw error;
      log('a port was taken by another process while the services started; starting again on other ports…');
    }
  }
}

async function startSoakSystemOnce(log: (line: string) => void): Promise<SoakSystem> {
  const root = findWorkspaceRoot(__dirname);
  const work = mkdtempSync(join(tmpdir(), 'ots-soak-'));
  const layout = dataLayout(work);
  const running: { name: ServiceName; process: BuiltServiceProcess }[] = [];
  const crashed: SoakSystem['crashed'] = [];
  let stopping = false;
  let postgres: TestPostgres | undefined;
  let nats: TestNats | undefined;
  let pushFakes: PushFakes | undefined;
  let sms: SmsGateway | undefined;

  const stopServices = async (): Promise<void> => {
    for (const { process: service } of [...running].reverse()) {
      if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGTERM');
      const timer = setTimeout(() => service.child.kill('SIGKILL'), 15_000);
      await service.exited;
      clearTimeout(timer);
    }
  };
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      await stopServices();
      await pushFakes?.close();
      if (sms) await new Promise((resolve) => sms?.server.close(resolve));
      await Promise.all([postgres?.stop(), nats?.stop()]);
      rmSync(work, { recursive: true, force: true });
      untrack();
    })();
    return stopped;
  };
  // SIGINT/SIGTERM stop everything gracefully; a plain exit (or a crash of the harness) SIGKILLs the services
  const untrack = cleanupRegistry.track({
    description: 'soak services',
    stop,
    killNow: () => {
      for (const { process: service } of running) service.child.kill('SIGKILL');
    },
  });

  try {
    log('starting PostgreSQL (durable: fsync on), NATS, the push provider fakes and an SMS gateway…');
    [postgres, nats] = await Promise.all([startPostgres({ durable: true }), startNats()]);
    await runMigrations({ databaseUrl: postgres.url });
    pushFakes = await startPushFakes({
      host: '127.0.0.1',
      fcmPort: 0,
      apnsPort: 0,
      hmsPort: 0,
      credentialsDir: layout.pushFakes,
    });
    sms = await startSmsGateway();

    const ports = await freeLocalPorts();
    const keys = ensureKeys(layout);
    const environments = serviceEnvironments(ports, {
      databaseUrl: postgres.url,
      natsUrl: nats.url,
      cspSecretKeyFile: layout.cspSecretKeyFile,
      cspPublicKeyBase64: keys.cspPublicKeyBase64,
      my3dataSecretKeyFile: layout.my3dataSecretKeyFile,
      my3dataPublicKeyBase64: keys.my3dataPublicKeyBase64,
      pushProviders: pushEnvFrom(join(layout.pushFakes, 'push.env')),
    });
    const directoryUrl = `http://127.0.0.1:${String(ports.services.directory.http)}/`;
    const extra: Partial<Record<ServiceName, Record<string, string>>> = {
      directory: {
        DIRECTORY_PUBLIC_URL: directoryUrl,
        DIRECTORY_SMS_GATEWAY_URL: sms.url,
        DIRECTORY_SMS_GATEWAY_AUTHORIZATION: 'Bearer soak-gateway',
      },
    };
    log('starting directory, mailbox, push, contact-sync and data-export (built)…');
    const deadline = Date.now() + READY_TIMEOUT_MS;
    // directory first: the others resolve identities through it when they start
    for (const group of [['directory'], ['mailbox', 'push'], ['contact-sync', 'data-export']] as const) {
      await Promise.all(
        group.map(async (name: ServiceName) => {
          const service = spawnBuiltService(root, name, {
            ...environments[name],
            LOG_LEVEL: 'warn',
            OTS_SITE: 'soak',
            ...SOAK_LIMITS[name],
            ...extra[name],
          });
          running.push({ name, process: service });
          void service.exited.then(({ code, signal }) => {
            if (!stopping) crashed.push({ name, code, signal });
          });
          await waitForHttpOk(
            `http://127.0.0.1:${String(ports.services[name].http)}/readyz`,
            deadline,
            () => service.child.exitCode !== null,
          ).catch((error: unknown) => {
            // give a dying service a moment, so its last words (e.g. EADDRINUSE) are in the message
            return new Promise<never>((_, reject) => {
              setTimeout(() => {
                reject(
                  new Error(
                    `${name} did not become ready: ${error instanceof Error ? error.message : String(error)}\n${service.stderr().slice(-2000)}${service.stdout().slice(-2000)}`,
                  ),
                );
              }, 500);
            });
          });
        }),
      );
    }
    const oppfFile = writeProvisioningFile(layout, keys, ports);
    const services = Object.fromEntries(running.map((r) => [r.name, r.process])) as Record<
      ServiceName,
      BuiltServiceProcess
    >;
    const watched: WatchedProcess[] = [
      ...SERVICE_NAMES.map((name) => ({
        name,
        pid: services[name].child.pid ?? 0,
        metricsUrl: `http://127.0.0.1:${String(ports.services[name].http)}/metrics`,
        judged: true,
      })),
      { name: 'postgres', pid: postgres.pid, judged: false },
      { name: 'nats-server', pid: nats.pid, judged: false },
    ];
    return {
      ports,
      keys,
      oppfFile,
      directoryUrl,
      contactSyncUrl: `http://127.0.0.1:${String(ports.services['contact-sync'].http)}/`,
      pushFakes,
      sms,
      postgres,
      nats,
      services,
      watched,
      crashed,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
