import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

import { childPids, isRunning } from '../../test/process-table';
import { waitFor } from '../wait/wait-for';

const REPO_ROOT = join(__dirname, '../../../..');
const FIXTURE = join(__dirname, '../../test/fixtures/leave-servers-running.ts');

interface Report {
  postgresPid: number;
  dataDir: string;
  natsPid: number;
  storeDir: string;
}

/** Starts the fixture in its own Node process (tsx loader) and returns what it started. */
async function runFixture(
  mode: 'exit' | 'wait',
): Promise<{ child: ChildProcess; report: Report; exited: Promise<[number | null, string | null]> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, mode], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<[number | null, string | null]>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve([code, signal]);
    }),
  );
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    exited.then(() => {
      throw new Error(`fixture exited before reporting:\n${stderr}`);
    }),
  ]);
  lines.close();
  return { child, report: JSON.parse(first) as Report, exited };
}

/** Everything the fixture started: postmaster, its backends, nats-server. */
function serverPids(report: Report): number[] {
  return [report.postgresPid, ...childPids(report.postgresPid), report.natsPid];
}

/**
 * The servers outlive their parent here, so they are orphans whose exit status only PID 1 collects: a zombie counts as
 * gone (it holds nothing but its PID table entry, and some container inits reap late).
 */
async function expectCleanedUp(pids: number[], report: Report): Promise<void> {
  await waitFor(
    () =>
      pids.every((pid) => !isRunning(pid)) &&
      !existsSync(dirname(report.dataDir)) &&
      !existsSync(report.storeDir),
    { timeoutMs: 10_000, description: 'the fixture servers and dirs to be gone' },
  );
}

describe('safety net: a process that never calls stop() leaves nothing behind', () => {
  it('on process.exit()', async () => {
    const { report, exited } = await runFixture('exit');
    const pids = serverPids(report);
    expect(await exited).toEqual([0, null]);
    await expectCleanedUp(pids, report);
  });

  it('on SIGTERM, and the process still ends by that signal', async () => {
    const { child, report, exited } = await runFixture('wait');
    const pids = serverPids(report);
    // the servers are up (a backend listed a moment ago may have finished its work and gone: not asserted);
    // asserted after the signal, so that a failure cannot leave the fixture running and the test run hanging
    const serversUp = [report.postgresPid, report.natsPid].every(isRunning);
    child.kill('SIGTERM');
    expect(serversUp).toBe(true);
    expect(await exited).toEqual([null, 'SIGTERM']);
    // graceful path: stop() ran before the signal was re-raised
    expect(pids.some(isRunning)).toBe(false);
    expect(existsSync(report.storeDir)).toBe(false);
    await expectCleanedUp(pids, report);
  });

  it('on SIGKILL, through the watchdog', async () => {
    const { child, report, exited } = await runFixture('wait');
    const pids = serverPids(report);
    child.kill('SIGKILL');
    expect(await exited).toEqual([null, 'SIGKILL']);
    await expectCleanedUp(pids, report);
  });
});
