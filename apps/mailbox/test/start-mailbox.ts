import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connectCsp, type CspLoginOptions, type CspSession } from '@ots/client';
import { generateX25519KeyPair, randomBytes, type X25519KeyPair } from '@ots/crypto';
import { findWorkspaceRoot, runMigrations } from '@ots/db-tools';
import { type RunningService, startService } from '@ots/service-kit';
import {
  type BuiltServiceProcess,
  freePort,
  spawnBuiltService,
  startNats,
  startPostgres,
  type TestNats,
  type TestPostgres,
  waitFor,
} from '@ots/testing';

import { loadMailboxConfig } from '../src/config';
import { mailboxService } from '../src/service';
import { TestDirectoryServer } from './test-directory';

export interface MailboxInstance {
  readonly service: RunningService;
  readonly cspPort: number;
  readonly grpcPort: number;
  stop(): Promise<void>;
}

export interface ProcessInstance {
  readonly cspPort: number;
  /** Everything the process (and its restarts) wrote to stdout and stderr. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

export interface TestUser {
  readonly identity: string;
  readonly keys: X25519KeyPair;
}

export interface MailboxTestSystem {
  readonly postgres: TestPostgres;
  readonly nats: TestNats;
  readonly directory: TestDirectoryServer;
  readonly serverKeys: X25519KeyPair;
  readonly instances: MailboxInstance[];
  /** A mailbox as its own process (the built dist), for crash tests: kill -9 and restart on the same ports. */
  spawnProcessInstance(settings?: Record<string, string>): Promise<ProcessInstance>;
  startInstance(settings?: Record<string, string>): Promise<MailboxInstance>;
  /** A new identity known to the test directory. */
  user(identity?: string): TestUser;
  connect(
    user: TestUser,
    instance?: Pick<MailboxInstance, 'cspPort'>,
    options?: Partial<CspLoginOptions>,
  ): Promise<CspSession>;
  stop(): Promise<void>;
}

let counter = 0;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function randomIdentity(): string {
  counter += 1;
  const bytes = randomBytes(6);
  return `T${String(counter % 10)}${Array.from(bytes, (b) => ALPHABET[b % 36]).join('')}`;
}

/**
 * PostgreSQL, NATS, an in-memory directory.v1 and any number of mailbox instances (in this process, each with its
 * own chat-server port), sharing one database and one NATS as instances do in production.
 */
export async function startMailboxSystem(
  firstInstanceSettings: Record<string, string> = {},
): Promise<MailboxTestSystem> {
  const [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
  await runMigrations({ databaseUrl: postgres.url });
  const directory = new TestDirectoryServer();
  await directory.start();
  const serverKeys = generateX25519KeyPair();
  const keyFile = join(tmpdir(), `ots-mailbox-test-${process.pid.toString()}-${Date.now().toString()}.key`);
  writeFileSync(keyFile, Buffer.from(serverKeys.secretKey).toString('hex'), { mode: 0o600 });
  const instances: MailboxInstance[] = [];
  const processes: ProcessInstance[] = [];

  const instanceEnv = async (settings: Record<string, string>) => {
    const [httpPort, grpcPort, cspPort] = [await freePort(), await freePort(), await freePort()];
    const env: Record<string, string> = {
      DATABASE_URL: postgres.url,
      NATS_URL: nats.url,
      DIRECTORY_GRPC_URL: `127.0.0.1:${String(directory.port)}`,
      PUSH_GRPC_URL: `127.0.0.1:${String(await freePort())}`,
      CSP_SERVER_SECRET_KEY_FILE: keyFile,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(grpcPort),
      CSP_HOST: '127.0.0.1',
      CSP_PORT: String(cspPort),
      LOG_LEVEL: process.env.MAILBOX_TEST_LOG_LEVEL ?? 'error',
      SHUTDOWN_GRACE_MS: '2000',
      ...settings,
    };
    return { env, httpPort, grpcPort, cspPort };
  };

  const waitReady = (httpPort: number) =>
    waitFor(
      async () => {
        const response = await fetch(`http://127.0.0.1:${String(httpPort)}/readyz`);
        return response.ok;
      },
      { timeoutMs: 20_000, description: 'mailbox /readyz' },
    );

  const startInstance = async (settings: Record<string, string> = {}): Promise<MailboxInstance> => {
    const { env, httpPort, grpcPort, cspPort } = await instanceEnv(settings);
    const service = await startService(mailboxService, loadMailboxConfig(env), {
      service: 'mailbox',
      version: 'test',
    });
    // the chat server listens once NATS is connected; wait for readiness
    await waitReady(httpPort);
    const instance: MailboxInstance = {
      service,
      cspPort,
      grpcPort,
      stop: async () => {
        await service.stop();
        instances.splice(instances.indexOf(instance), 1);
      },
    };
    instances.push(instance);
    return instance;
  };

  const spawnProcessInstance = async (settings: Record<string, string> = {}): Promise<ProcessInstance> => {
    const { env, httpPort, cspPort } = await instanceEnv(settings);
    const spawnOne = async (): Promise<BuiltServiceProcess> => {
      const child = spawnBuiltService(findWorkspaceRoot(), 'mailbox', env);
      await Promise.race([
        waitReady(httpPort),
        child.exited.then(({ code }) => {
          throw new Error(`mailbox process exited with ${String(code)}: ${child.stderr()}`);
        }),
      ]);
      return child;
    };
    let current = await spawnOne();
    let previousOutput = '';
    const instance: ProcessInstance = {
      cspPort,
      output: () => previousOutput + current.stdout() + current.stderr(),
      kill: async (signal) => {
        current.child.kill(signal);
        await current.exited;
      },
      restart: async () => {
        previousOutput += current.stdout() + current.stderr();
        current = await spawnOne();
      },
    };
    processes.push(instance);
    return instance;
  };

  await startInstance(firstInstanceSettings);

  return {
    postgres,
    nats,
    directory,
    serverKeys,
    instances,
    startInstance,
    spawnProcessInstance,
    user: (identity = randomIdentity()) => {
      const keys = generateX25519KeyPair();
      directory.add(identity, keys.publicKey);
      return { identity, keys };
    },
    connect: (user, instance = instances.at(0), options = {}) => {
      if (!instance) throw new Error('no mailbox instance running');
      return connectCsp({
        host: '127.0.0.1',
        port: instance.cspPort,
        serverPublicKey: serverKeys.publicKey,
        identity: user.identity,
        secretKey: user.keys.secretKey,
        ...options,
      });
    },
    stop: async () => {
      for (const instance of processes) await instance.kill('SIGTERM');
      for (const instance of [...instances]) await instance.stop();
      await directory.stop();
      await Promise.all([nats.stop(), postgres.stop()]);
      rmSync(keyFile, { force: true });
    },
  };
}
