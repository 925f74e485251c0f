import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { REPOSITORY_ROOT, TARGET_NAMES } from './targets';

// The CI pass of `npm run fuzz`: every target briefly from its checked-in seeds (the verdict must be "no crash"),
// then the harness's own proof that it finds what it is for — a crash behind a 4-byte magic (which needs coverage
// guidance), a hang, and unbounded allocation (heap and buffers) — and exits non-zero. Measured: 61 s in Jest
// (76 s with Nx) on a 2-core machine at load average 18; most of what is not fuzzing is starting worker threads.

const SECONDS_PER_TARGET = 4;

interface Run {
  readonly code: number | null;
  readonly output: string;
}

function fuzz(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/fuzz/src/main.ts', ...args], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, output });
    });
  });
}

describe('npm run fuzz', () => {
  let crashDir: string;

  beforeAll(() => {
    crashDir = mkdtempSync(path.join(tmpdir(), 'fuzz-crashes-'));
  });

  afterAll(() => {
    rmSync(crashDir, { recursive: true, force: true });
  });

  it('runs every target from its seed corpus without a crash', async () => {
    const run = await fuzz([
      '--time',
      String(SECONDS_PER_TARGET),
      '--corpus-out',
      'none',
      '--crash-dir',
      crashDir,
      '--seed',
      '20261127',
    ]);
    console.log(run.output);
    expect(run.code).toBe(0);
    for (const name of TARGET_NAMES) {
      const line = new RegExp(`^${name}: (\\d+) execs in [\\d.]+ s \\(\\d+/s\\), corpus (\\d+)`, 'm').exec(
        run.output,
      );
      expect(line).not.toBeNull();
      expect(Number(line?.[1])).toBeGreaterThan(100);
      expect(Number(line?.[2])).toBeGreaterThan(0);
    }
    expect(run.output).toContain(
      `${String(TARGET_NAMES.length)}/${String(TARGET_NAMES.length)} targets without a crash`,
    );
  });

  const selfTest = (targets: string, extra: readonly string[]): Promise<Run> =>
    fuzz([
      '--target',
      targets,
      '--target-dir',
      'tools/fuzz/test/targets',
      '--time',
      '30',
      '--corpus-out',
      'none',
      '--crash-dir',
      crashDir,
      '--seed',
      '3',
      ...extra,
    ]);

  const crashes = (target: string): string[] =>
    readdirSync(path.join(crashDir, target)).filter((file) => file.endsWith('.bin'));

  it('finds a crash behind a 4-byte magic and an input that hangs, writes each and exits non-zero', async () => {
    const run = await selfTest('magic,hang', ['--timeout-ms', '1500']);
    console.log(run.output);
    expect(run.code).toBe(1);
    expect(run.output).toContain('TypeError: magic reached');
    expect(run.output).toContain('one input ran longer than 1500 ms');
    expect(crashes('magic')).toEqual([expect.stringMatching(/^exception-/)]);
    expect(crashes('hang')).toEqual([expect.stringMatching(/^timeout-/)]);
  });

  it('stops inputs that allocate without bound, on the heap and in buffers, and exits non-zero', async () => {
    // a generous time limit: near its heap limit V8 collects garbage for seconds before it gives up
    const run = await selfTest('heap,buffers', [
      '--timeout-ms',
      '60000',
      '--max-heap-mb',
      '64',
      '--max-rss-mb',
      '400',
    ]);
    console.log(run.output);
    expect(run.code).toBe(1);
    expect(run.output).toContain('the worker exceeded its 64 MB heap');
    expect(run.output).toContain('the process exceeded 400 MB resident memory');
    expect(crashes('heap')).toEqual([expect.stringMatching(/^out-of-memory-/)]);
    expect(crashes('buffers')).toEqual([expect.stringMatching(/^out-of-memory-/)]);
  });
});
