import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

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

export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
