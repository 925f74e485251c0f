// The services of one site, run from dist/ exactly as their containers run them (directory and mailbox).
import {
  type BuiltServiceProcess,
  cleanupRegistry,
  freePort,
  spawnBuiltService,
  waitFor,
} from '@ots/testing';

import type { Site } from './nats-supercluster';

export interface SiteEnvironment {
  readonly natsUrl: string;
  /** the database name: the proxy that stands for `db-primary…` */
  readonly databaseUrl: string;
  /** the chat server's key file: every node of the service has the same permanent key (clients pin one) */
  readonly cspSecretKeyFile: string;
}

export interface SiteServices {
  readonly site: Site;
  readonly cspPort: number;
  readonly mailboxHttpPort: number;
  readonly processes: readonly { readonly name: string; readonly process: BuiltServiceProcess }[];
  /** SIGKILL to every service process of the site */
  kill(): void;
  stop(): Promise<void>;
}

function track(name: string, child: BuiltServiceProcess): () => void {
  return cleanupRegistry.track({
    description: name,
    stop: async () => {
      child.child.kill('SIGTERM');
      await child.exited;
    },
    killNow: () => {
      child.child.kill('SIGKILL');
    },
  });
}

async function waitReady(httpPort: number, child: BuiltServiceProcess, name: string): Promise<void> {
  await Promise.race([
    waitFor(
      async () => {
        const response = await fetch(`http://127.0.0.1:${String(httpPort)}/readyz`);
        await response.body?.cancel();
        return response.ok;
      },
      { timeoutMs: 60_000, intervalMs: 100, description: `${name} ready` },
    ),
    child.exited.then(({ code, signal }) => {
      throw new Error(`${name} exited (${String(code ?? signal)}):\n${child.stderr()}${child.stdout()}`);
    }),
  ]);
}

export async function startSiteServices(
  root: string,
  site: Site,
  env: SiteEnvironment,
): Promise<SiteServices> {
  const [dirHttp, dirGrpc, mbHttp, mbGrpc, csp, unusedPush] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  const common = { NATS_URL: env.natsUrl, HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'warn', OTS_SITE: site };
  const processes: { name: string; process: BuiltServiceProcess }[] = [];
  const untrack: (() => void)[] = [];
  const spawnTracked = (
    name: string,
    service: 'directory' | 'mailbox',
    serviceEnv: Record<string, string>,
  ) => {
    const child = spawnBuiltService(root, service, serviceEnv);
    processes.push({ name, process: child });
    untrack.push(track(name, child));
    return child;
  };
  const stop = async (): Promise<void> => {
    for (const { process: child } of [...processes].reverse()) {
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGTERM');
      const timer = setTimeout(() => child.child.kill('SIGKILL'), 10_000);
      await child.exited;
      clearTimeout(timer);
    }
    for (const done of untrack) done();
  };
  try {
    const directory = spawnTracked(`directory ${site}`, 'directory', {
      ...common,
      HTTP_PORT: String(dirHttp),
      DATABASE_URL: env.databaseUrl,
      DATABASE_POOL_SIZE: '4',
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(dirGrpc),
    });
    await waitReady(dirHttp, directory, `directory ${site}`);
    const mailbox = spawnTracked(`mailbox ${site}`, 'mailbox', {
      ...common,
      HTTP_PORT: String(mbHttp),
      DATABASE_URL: env.databaseUrl,
      DATABASE_POOL_SIZE: '8',
      DIRECTORY_GRPC_URL: `127.0.0.1:${String(dirGrpc)}`,
      // no push service in the drill: the mailbox only calls it for push-token payloads, which the drill never sends
      PUSH_GRPC_URL: `127.0.0.1:${String(unusedPush)}`,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(mbGrpc),
      CSP_SERVER_SECRET_KEY_FILE: env.cspSecretKeyFile,
      CSP_HOST: '127.0.0.1',
      CSP_PORT: String(csp),
    });
    await waitReady(mbHttp, mailbox, `mailbox ${site}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    site,
    cspPort: csp,
    mailboxHttpPort: mbHttp,
    processes,
    kill: () => {
      for (const { process: child } of processes) child.child.kill('SIGKILL');
    },
    stop,
  };
}

/** Sum of a counter's samples (all label sets) in a Prometheus text exposition. */
export function counterTotal(exposition: string, name: string): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = new RegExp(`^${name}(\\{[^}]*\\})? ([0-9.eE+-]+)$`).exec(line.trim());
    if (match) total += Number(match[2]);
  }
  return total;
}

export async function mailboxCounter(services: SiteServices, name: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${String(services.mailboxHttpPort)}/metrics`);
  return counterTotal(await response.text(), name);
}
