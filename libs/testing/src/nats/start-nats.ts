import { freePorts } from '../ports/free-port';
import { ServerProcess } from '../process/server-process';
import { ServerResource } from '../process/server-resource';
import { waitFor } from '../wait/wait-for';
import { findNatsServer } from './nats-binary';
import { isNatsHealthy } from './nats-health';

const PORT_TAKEN = /address already in use/i;
const MAX_ATTEMPTS = 3;

export interface NatsOptions {
  /** Fixed client port; by default a free one. */
  port?: number;
  /** Fixed monitoring port; by default a free one. */
  monitorPort?: number;
  /** Path to nats-server; by default found on PATH or at /usr/sbin/nats-server. */
  binary?: string;
  /** Give up if /healthz is not ok after this long (default 10 s). */
  startTimeoutMs?: number;
  /** Receives server output lines; silent by default (the last lines go into start errors). */
  onLog?: (line: string) => void;
}

export interface TestNats {
  /** nats://127.0.0.1:port */
  readonly url: string;
  readonly port: number;
  readonly monitorPort: number;
  /** PID of the server (changes with restart()). */
  readonly pid: number;
  /** JetStream storage, a temp dir that stop() removes. */
  readonly storeDir: string;
  /** Crash drill: SIGKILL, resolving once the server has exited; the store dir stays for restart(). */
  crash(): Promise<void>;
  /** Starts the server again on the same ports and store dir (after crash()); resolves once /healthz is ok. */
  restart(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s), then removes the store dir. Idempotent. */
  stop(): Promise<void>;
}

/** A throw-away nats-server with JetStream on free loopback ports. */
export async function startNats(options: NatsOptions = {}): Promise<TestNats> {
  const binary = options.binary ?? findNatsServer();
  const resource = await ServerResource.create({
    dirPrefix: 'ots-nats-',
    description: 'nats-server',
    stopSignal: 'SIGTERM',
    urgentSignal: 'SIGKILL',
    killAfterMs: 5000,
  });
  try {
    for (let attempt = 1; ; attempt++) {
      const [port, monitorPort] = await choosePorts(options);
      const args = [
        '-a',
        '127.0.0.1',
        '-p',
        String(port),
        '-m',
        String(monitorPort),
        '-js',
        '-sd',
        resource.dir,
      ];
      const server = ServerProcess.spawn(binary, args, { env: process.env, onLog: options.onLog });
      resource.attach(server);
      try {
        await waitUntilHealthy(server, monitorPort, options.startTimeoutMs ?? 10_000);
      } catch (error) {
        await server.stop('SIGKILL', 1000);
        const portsFixed = options.port !== undefined || options.monitorPort !== undefined;
        if (!portsFixed && attempt < MAX_ATTEMPTS && server.output.includes(PORT_TAKEN)) continue;
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `nats-server did not start on 127.0.0.1:${port} (${reason}). Last output:\n${server.output.toString()}`,
        );
      }
      server.releaseEventLoop();
      let current = server;
      return {
        url: `nats://127.0.0.1:${port}`,
        port,
        monitorPort,
        get pid() {
          return current.pid;
        },
        storeDir: resource.dir,
        crash: async () => {
          current.signalNow('SIGKILL');
          await current.exited;
        },
        restart: async () => {
          if (!current.hasExited()) throw new Error('nats-server is still running: crash() it first');
          const next = ServerProcess.spawn(binary, args, { env: process.env, onLog: options.onLog });
          resource.attach(next);
          try {
            await waitUntilHealthy(next, monitorPort, options.startTimeoutMs ?? 10_000);
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new Error(
              `nats-server did not restart on 127.0.0.1:${port} (${reason}). Last output:\n${next.output.toString()}`,
            );
          }
          next.releaseEventLoop();
          current = next;
        },
        stop: () => resource.stop(),
      };
    }
  } catch (error) {
    await resource.stop().catch(() => undefined);
    throw error;
  }
}

async function choosePorts(options: NatsOptions): Promise<[number, number]> {
  const [first, second] = await freePorts(2);
  return [options.port ?? first, options.monitorPort ?? second];
}

async function waitUntilHealthy(
  server: ServerProcess,
  monitorPort: number,
  timeoutMs: number,
): Promise<void> {
  // stop polling as soon as the server exits: its output says why, no need to wait for the deadline
  const exited = new AbortController();
  void server.exited.then(() => {
    exited.abort(new Error(server.describeExit()));
  });
  await waitFor(() => isNatsHealthy(monitorPort), {
    timeoutMs,
    intervalMs: 20,
    description: `nats-server /healthz on 127.0.0.1:${monitorPort}`,
    signal: exited.signal,
  });
}
