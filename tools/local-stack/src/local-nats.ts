import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';

import { waitForHttpOk } from './wait';

export interface LocalNats {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** nats-server with JetStream, its storage in the data folder, listening on loopback only. */
export async function startLocalNats(
  binary: string,
  storeDir: string,
  port: number,
  monitorPort: number,
): Promise<LocalNats> {
  mkdirSync(storeDir, { recursive: true });
  const child = spawn(
    binary,
    [
      '-a',
      '127.0.0.1',
      '-p',
      String(port),
      '-m',
      String(monitorPort),
      '-js',
      '-sd',
      storeDir,
      '-n',
      'ots-local',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    await waitForHttpOk(`http://127.0.0.1:${String(monitorPort)}/healthz`, Date.now() + 15_000, () => exited);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`nats-server failed to start: ${String(error)}\n${stderr}`);
  }
  return {
    url: `nats://127.0.0.1:${String(port)}`,
    process: child,
    stop: () => stopChild(child, 10_000),
  };
}

/** SIGTERM, then SIGKILL after the grace period; resolves when the process is gone. */
export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
