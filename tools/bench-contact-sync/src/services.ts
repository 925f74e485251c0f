import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { chartNodeArgs, nodeFlags } from '@ots/local-stack';
import { waitFor } from '@ots/testing';

/** A built service (`dist/apps/<name>`) run as its container runs it, with extra node arguments. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  /** the last 64 KiB of stdout and stderr */
  readonly output: () => string;
  /** performance.now() when the process was spawned */
  readonly spawnedAt: number;
  stop(): Promise<void>;
}

export function startBuiltService(
  root: string,
  name: 'directory' | 'contact-sync',
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): ServiceProcess {
  const entry = join(root, 'dist', 'apps', name, 'apps', name, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build it first (npx nx run ${name}:build)`);
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-65_536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  return {
    child,
    output: () => output,
    spawnedAt,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls /readyz until 200; returns performance.now() of the first 200. Fails if the process exits. */
export async function waitUntilReady(
  service: ServiceProcess,
  httpPort: number,
  timeoutMs: number,
): Promise<number> {
  let readyAt = 0;
  const exited = new AbortController();
  const onExit = () => {
    exited.abort(new Error(`service exited:\n${service.output()}`));
  };
  if (service.child.exitCode !== null) onExit();
  service.child.once('exit', onExit);
  try {
    await waitFor(
      async () => {
        const response = await fetch(`http://127.0.0.1:${String(httpPort)}/readyz`).catch(() => undefined);
        if (response?.status !== 200) return false;
        readyAt = performance.now();
        return true;
      },
      { timeoutMs, intervalMs: 20, description: '/readyz', signal: exited.signal },
    );
  } finally {
    service.child.off('exit', onExit);
  }
  return readyAt;
}

export interface IndexLoadLog {
  readonly entries: number;
  readonly loadMs: number;
  readonly indexingMs: number;
}

/** contact-sync's "contact index loaded" log line (JSON, pino). */
export function indexLoadLog(output: string): IndexLoadLog {
  for (const line of output.split('\n')) {
    if (!line.includes('contact index loaded')) continue;
    const parsed = JSON.parse(line) as Partial<IndexLoadLog>;
    if (parsed.entries !== undefined && parsed.loadMs !== undefined && parsed.indexingMs !== undefined) {
      return { entries: parsed.entries, loadMs: parsed.loadMs, indexingMs: parsed.indexingMs };
    }
  }
  throw new Error(`contact-sync logged no "contact index loaded" line:\n${output.slice(-2000)}`);
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux, 100 clock ticks per second). */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  // after "pid (comm) " the state is field 3, so utime (14) and stime (15) are at indexes 11 and 12
  const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * contact-sync's node flags as deployed: `nodeArgs` of charts/ots-contact-sync/values.yaml, which the image's
 * entrypoint receives as OTS_NODE_ARGS (docker-compose sets the same; a test keeps them equal).
 */
export function deployedNodeArgs(root: string): string[] {
  const flags = chartNodeArgs(root, ['contact-sync'])['contact-sync'];
  return flags === undefined ? [] : nodeFlags({ OTS_NODE_ARGS: flags });
}
