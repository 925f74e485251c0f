import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { httpGet } from '../http/http-get';
import { waitFor } from '../wait/wait-for';

export const SERVICES = ['directory', 'mailbox', 'push', 'contact-sync', 'data-export'] as const;
export type Service = (typeof SERVICES)[number];

export interface BuiltServiceProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the compiled service exactly as the container does (node dist/…/main.js), with only the given env. The
 * caller's project must depend on the service's `build` target.
 */
export function spawnBuiltService(
  root: string,
  service: Service,
  env: Record<string, string>,
): BuiltServiceProcess {
  const entry = join(root, 'dist', 'apps', service, 'apps', service, 'src', 'main.js');
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * Resolves once the service answers 200 on `/readyz`. Rejects as soon as it exits, or after `timeoutMs`, with the
 * end of its output in the message: that is where the reason is (EADDRINUSE, a configuration error).
 */
export async function waitForBuiltServiceReady(
  service: BuiltServiceProcess,
  name: string,
  httpPort: number,
  timeoutMs: number,
): Promise<void> {
  const exitedEarly = new AbortController();
  void service.exited.then(({ code, signal }) => {
    exitedEarly.abort(new Error(`${name} exited (${signal ?? `code ${String(code)}`}) before it was ready`));
  });
  try {
    await waitFor(
      async () => (await httpGet(`http://127.0.0.1:${String(httpPort)}/readyz`, 2_000)).status === 200,
      { timeoutMs, description: `${name} ready`, signal: exitedEarly.signal },
    );
  } catch (error) {
    // 'exit' can come before the last output is read: give the pipes a moment
    if (exitedEarly.signal.aborted) await sleep(300);
    const output = `${service.stderr()}${service.stdout()}`.slice(-3_000);
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- the end of ${name}'s output ---\n${output}`,
      { cause: error },
    );
  }
}

export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
