import { freePort } from '../ports/free-port';
import { type OsUser, ServerProcess } from '../process/server-process';
import type { PostgresBinaries } from './postgres-binaries';
import { postgresEnv } from './postgres-env';

const READY = /database system is ready to accept connections/;
const PORT_TAKEN = /address already in use/i;
const MAX_ATTEMPTS = 3;

export interface LaunchPostgresOptions {
  readonly binaries: PostgresBinaries;
  readonly dataDir: string;
  readonly owner: OsUser | undefined;
  /** A fixed port; without one a free port is picked, and another one if it was taken meanwhile. */
  readonly port: number | undefined;
  readonly startTimeoutMs: number;
  /** keep PostgreSQL's durability settings (fsync, synchronous commit) — for benchmarks and crash drills */
  readonly durable?: boolean;
  readonly onLog: ((line: string) => void) | undefined;
  /** Called with each spawned server before it is ready, so cleanup can reach it if the start fails. */
  readonly onSpawn: (server: ServerProcess) => void;
}

/** Runs postgres on an initialised dataDir until it accepts connections. */
export async function launchPostgres(
  options: LaunchPostgresOptions,
): Promise<{ server: ServerProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const server = ServerProcess.spawn(
      options.binaries.postgres,
      postgresArgs(options.dataDir, port, options.durable ?? false),
      {
        owner: options.owner,
        env: postgresEnv(),
        onLog: options.onLog,
      },
    );
    options.onSpawn(server);
    try {
      await server.waitForOutput(READY, options.startTimeoutMs);
      return { server, port };
    } catch (error) {
      await server.stop('SIGQUIT', 2000);
      const retry =
        options.port === undefined && attempt < MAX_ATTEMPTS && server.output.includes(PORT_TAKEN);
      if (!retry) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `PostgreSQL did not start on 127.0.0.1:${port} (${reason}). Last output:\n${server.output.toString()}`,
        );
      }
    }
  }
}

const SETTINGS = [
  'listen_addresses=127.0.0.1',
  // TCP only: no socket file in /tmp that a hard kill could leave behind
  'unix_socket_directories=',
  // dynamic shared memory as files in dataDir instead of /dev/shm, for the same reason
  'dynamic_shared_memory_type=mmap',
];

// the data of a test is thrown away afterwards: durability only costs time
const NOT_DURABLE = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];

function postgresArgs(dataDir: string, port: number, durable: boolean): string[] {
  const settings = durable ? SETTINGS : [...SETTINGS, ...NOT_DURABLE];
  return ['-D', dataDir, '-p', String(port), ...settings.flatMap((setting) => ['-c', setting])];
}
