// `npm run bench:directory`: one directory instance against a PostgreSQL holding 1,000,000 identities, driven by a
// load generator in a separate process. Prints requests/s and p50/p99 latency per scenario (issue 3 targets).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

import { runMigrations } from '@ots/db-tools';
import { freePort, startNats, startPostgres, waitFor } from '@ots/testing';

import type { RunResult } from './latency';
import type { LoadSettings, Scenario } from './load-generator';
import { seedIdentities } from './seed';

const root = resolve(__dirname, '..', '..', '..');
const IDENTITIES = Number(process.env.BENCH_IDENTITIES ?? 1_000_000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);

interface Target {
  readonly scenario: Scenario;
  readonly label: string;
  readonly connections: number;
  readonly minPerSecond: number;
  readonly maxP99Ms?: number;
}

const TARGETS: readonly Target[] = [
  { scenario: 'get', label: 'GET identity/<ID>', connections: 32, minPerSecond: 5000, maxP99Ms: 25 },
  { scenario: 'fetch_bulk', label: 'fetch_bulk (100 IDs)', connections: 16, minPerSecond: 500 },
  { scenario: 'create', label: 'identity/create (2 phases)', connections: 16, minPerSecond: 300 },
];

function startDirectory(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const entry = join(root, 'dist', 'apps', 'directory', 'apps', 'directory', 'src', 'main.js');
  if (!existsSync(entry))
    throw new Error(`${entry} is missing: build the directory first (npx nx run directory:build)`);
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the directory process
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { child, output: () => output };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; 100 clock ticks per second). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ');
  // after "pid (comm) ": field 3 is the state, so utime (14) and stime (15) are at indexes 11 and 12
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function runLoadProcess(settings: LoadSettings): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'load-generator.ts')], {
      cwd: root,
      env: { ...process.env, BENCH_LOAD: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(JSON.parse(stdout.trim()) as RunResult);
      else reject(new Error(`load generator exited with ${String(code)}`));
    });
  });
}

const fmt = (value: number, digits = 1) => value.toFixed(digits).padStart(9);

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`bench:directory — ${String(cpus().length)} CPUs (shared with other work: figures vary between runs)`);
  const [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
  let directory: ReturnType<typeof startDirectory> | undefined;
  try {
    await runMigrations({ databaseUrl: postgres.url });
    log(`seeding ${String(IDENTITIES)} identities…`);
    log(`  seeded in ${String(await seedIdentities(postgres.url, IDENTITIES))} ms`);

    const httpPort = await freePort();
    directory = startDirectory({
      DATABASE_URL: postgres.url,
      DATABASE_POOL_SIZE: process.env.BENCH_DB_POOL ?? '16',
      NATS_URL: nats.url,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      // the bench is one source: raise the per-source limits so they do not cap it
      DIRECTORY_CREATE_PER_SOURCE_PER_HOUR: '100000000',
      DIRECTORY_LOOKUPS_PER_SOURCE_PER_MINUTE: '1000000000',
    });
    const baseUrl = `http://127.0.0.1:${String(httpPort)}`;
    const running = directory;
    await waitFor(
      async () => {
        if (running.child.exitCode !== null) throw new Error(`directory exited:\n${running.output()}`);
        return (await fetch(`${baseUrl}/readyz`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: 'directory /readyz' },
    );

    const results: { target: Target; result: RunResult; cpuMsPerRequest: number }[] = [];
    const only = process.env.BENCH_SCENARIOS?.split(',');
    for (const target of TARGETS.filter((t) => only === undefined || only.includes(t.scenario))) {
      log(`running ${target.label}: ${String(target.connections)} connections, ${String(DURATION_S)} s…`);
      const cpuBefore = cpuSeconds(running.child.pid);
      const result = await runLoadProcess({
        baseUrl,
        scenario: target.scenario,
        connections: target.connections,
        durationS: DURATION_S,
        warmupS: 2,
        identityCount: IDENTITIES,
      });
      // includes the warm-up: an upper bound of the directory's own CPU cost per request
      const cpuUsed = cpuSeconds(running.child.pid) - cpuBefore;
      results.push({ target, result, cpuMsPerRequest: (cpuUsed * 1000) / Math.max(1, result.requests) });
    }

    log('');
    log('scenario                        req/s    p50 ms    p99 ms    errors  CPU ms/req   target');
    for (const { target, result, cpuMsPerRequest } of results) {
      const met =
        result.perSecond >= target.minPerSecond &&
        (target.maxP99Ms === undefined || result.p99Ms <= target.maxP99Ms);
      const goal = `≥ ${String(target.minPerSecond)}/s${target.maxP99Ms === undefined ? '' : `, p99 ≤ ${String(target.maxP99Ms)} ms`}`;
      log(
        `${target.label.padEnd(28)}${fmt(result.perSecond)}${fmt(result.p50Ms, 2)}${fmt(result.p99Ms, 2)}${String(result.errors).padStart(10)}${fmt(cpuMsPerRequest, 3).padStart(12)}   ${goal} ${met ? 'met' : 'NOT met'}`,
      );
    }
    log('');
    log("CPU ms/req: the directory process's CPU time (user+system, warm-up included) per measured request;");
    log('1000 / it is what one core can serve when the machine is not shared.');
    log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${String(cpus().length)} CPUs`,
    );
  } finally {
    const child = directory?.child;
    if (child?.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    await Promise.all([nats.stop(), postgres.stop()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:directory failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
