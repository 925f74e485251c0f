import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { REPOSITORY_ROOT, TARGET_NAMES } from './targets';

// The CI pass of `npm run fuzz`: every target briefly from its checked-in seeds (the verdict must be "no crash"),
// then the harness's own proof that it finds what it is for — a crash behind a 4-byte magic (which needs coverage
// guidance), a hang, and unbounded allocation (heap and buffers) — and exits non-zero. About 70 s of wall time.

const SECONDS_PER_TARGET = 6;

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

  const selfTest = (module: string, extra: readonly string[] = []): Promise<Run> =>
    fuzz([
      '--target',
      module,
      '--target-module',
      path.join(REPOSITORY_ROOT, 'tools/fuzz/test', `${module}.ts`),
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

  const crashesOf = (module: string): string[] => readdirSync(path.join(crashDir, module));

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

  it('finds a crash behind a 4-byte magic, writes the input and exits non-zero', async () => {
    const run = await selfTest('magic-target');
    expect(run.code).toBe(1);
    expect(run.output).toContain('TypeError: magic reached');
    const crashes = crashesOf('magic-target').filter((file) => file.endsWith('.bin'));
    expect(crashes).toHaveLength(1);
    expect(crashes[0]).toMatch(/^exception-/);
  });

  it('stops an input that hangs and reports it', async () => {
    const run = await selfTest('hang-only-target', ['--timeout-ms', '1000']);
    expect(run.code).toBe(1);
    expect(run.output).toContain('CRASH (timeout)');
    expect(crashesOf('hang-only-target').some((file) => file.startsWith('timeout-'))).toBe(true);
  });

  it('stops an input that allocates without bound and reports it', async () => {
    const run = await selfTest('memory-target', ['--max-heap-mb', '64']);
    expect(run.code).toBe(1);
    expect(run.output).toContain('CRASH (out-of-memory)');
    expect(crashesOf('memory-target').some((file) => file.startsWith('out-of-memory-'))).toBe(true);
  });

  it('stops an input that fills buffers (outside the heap limit) and reports it', async () => {
    const run = await selfTest('buffer-target', ['--max-rss-mb', '400', '--timeout-ms', '10000']);
    expect(run.code).toBe(1);
    expect(run.output).toContain('exceeded 400 MB resident memory');
    expect(crashesOf('buffer-target').some((file) => file.startsWith('out-of-memory-'))).toBe(true);
  });
});
