// `npm run bench:mailbox [scenario…]`: the mailbox on this machine, driven by the SDK-based load generator in a
// separate process. Scenarios: closed, open, offline, logins, floor, idle (default: all). Prints the figures of
// issue 4 acceptance 5. PostgreSQL runs with fsync and synchronous commit on: accepted means durable. `floor` is the
// reference for logins: the same generator against a server that does the handshake alone (handshake-floor-server).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { generateX25519KeyPair } from '@ots/crypto';
import { findWorkspaceRoot, runMigrations } from '@ots/db-tools';
import {
  type BuiltServiceProcess,
  freePort,
  spawnBuiltService,
  startNats,
  startPostgres,
  waitFor,
} from '@ots/testing';
import { build } from 'esbuild';
import { Client } from 'pg';

import { mailboxInternals, parseMetrics } from './mailbox-metrics-probe';
import { wholeNumberSetting } from './settings';

const SCENARIOS = ['closed', 'open', 'offline', 'logins', 'floor', 'idle'] as const;
type Scenario = (typeof SCENARIOS)[number];
const IDENTITY_COUNT = 21_000;
/** (e): held at once, split between two mailbox instances (see idleScenario) */
const IDLE_CONNECTIONS = 20_000;
const IDLE_INSTANCES = 2;
/** logins per instance before its idle measurement (identities beyond the idle ones), see idleScenario */
const IDLE_WARMUP = wholeNumberSetting(
  'BENCH_IDLE_WARMUP',
  process.env.BENCH_IDLE_WARMUP,
  500,
  (IDENTITY_COUNT - IDLE_CONNECTIONS) / IDLE_INSTANCES,
);
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const root = findWorkspaceRoot();
const requested = process.argv
  .slice(2)
  .filter((arg): arg is Scenario => (SCENARIOS as readonly string[]).includes(arg));
const scenarios: readonly Scenario[] = requested.length > 0 ? requested : SCENARIOS;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function seedIdentities(databaseUrl: string, file: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const lines: string[] = [];
  for (let start = 0; start < IDENTITY_COUNT; start += 5_000) {
    const ids: string[] = [];
    const keys: string[] = [];
    for (let i = start; i < Math.min(IDENTITY_COUNT, start + 5_000); i += 1) {
      let n = i;
      let id = '';
      for (let d = 0; d < 7; d += 1) {
        id = (ALPHABET[n % 36] ?? '0') + id;
        n = Math.floor(n / 36);
      }
      const identity = `B${id}`;
      const pair = generateX25519KeyPair();
      ids.push(identity);
      keys.push(`\\x${Buffer.from(pair.publicKey).toString('hex')}`);
      lines.push(JSON.stringify({ identity, secretKey: Buffer.from(pair.secretKey).toString('hex') }));
    }
    await client.query(
      `INSERT INTO directory.identity (id, public_key, server_group) SELECT id, key, '00' FROM unnest($1::text[], $2::bytea[]) AS t(id, key)`,
      [ids, keys],
    );
  }
  await client.end();
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
}

async function waitReady(httpPort: number, child: BuiltServiceProcess, name: string): Promise<void> {
  await Promise.race([
    waitFor(async () => (await fetch(`http://127.0.0.1:${String(httpPort)}/readyz`)).ok, {
      timeoutMs: 30_000,
      description: `${name} ready`,
    }),
    child.exited.then(({ code }) => {
      throw new Error(`${name} exited with ${String(code)}:\n${child.stderr()}`);
    }),
  ]);
}

/** CPU seconds (user + system) a process has used so far. */
/** CPU seconds of a process; with `reaped`, also those of its children that ended and were waited for. */
function cpuSeconds(pid: number | undefined, reaped = false): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields =
      readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
        .split(') ')[1]
        ?.split(' ') ?? [];
    const own = Number(fields[11]) + Number(fields[12]);
    return (reaped ? own + Number(fields[13]) + Number(fields[14]) : own) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds of a process, its current children and the children that ended (PostgreSQL: the postmaster and
 * its backends; a backend that exits during a scenario would otherwise take its CPU time out of the sum).
 */
function treeCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  let children: string[] = [];
  try {
    children = readFileSync(`/proc/${String(pid)}/task/${String(pid)}/children`, 'utf8').split(' ');
  } catch {
    // no children file (kernel without it): the process alone
  }
  return children
    .filter((child) => child.length > 0)
    .reduce((total, child) => total + (cpuSeconds(Number(child)) || 0), cpuSeconds(pid, true));
}

/**
 * Between scenarios: the queue table is rewritten compactly (VACUUM FULL; it holds at most the few messages left
 * in flight), so that every scenario starts as it would on its own. Without it the next scenario shared the
 * cores with PostgreSQL cleaning up after the last one (the closed loop leaves 200,000–300,000 deleted rows; the
 * autovacuum that followed was most of the open loop's p99 when it ran right after), and a plain VACUUM left the
 * freed space spread over a table of a few hundred megabytes, where the offline scenario's 20,000 messages then
 * landed page by page (PostgreSQL's CPU tripled in that scenario).
 */
async function settleDatabase(databaseUrl: string): Promise<void> {
  const started = performance.now();
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM FULL mailbox.queued_message');
  } finally {
    await client.end();
  }
  log(
    `settled the database (VACUUM FULL of the queue) in ${String(Math.round(performance.now() - started))} ms`,
  );
}

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

interface LoadGenerator {
  readonly child: ChildProcess;
  readonly lines: AsyncIterableIterator<string>;
}

/** inside the workspace, so that sodium-native resolves from its node_modules */
const BUNDLES = join(root, 'node_modules', '.cache', 'bench-mailbox');
const LOAD_GENERATOR_BUNDLE = join(BUNDLES, 'load-generator.cjs');
const FLOOR_SERVER_BUNDLE = join(BUNDLES, 'handshake-floor-server.cjs');

/**
 * The load generator (and the floor scenario's server) as bundled scripts (the SDK and the libraries they use
 * compiled in, sodium-native loaded as a native module), so that they run as plain JavaScript like the services
 * do. Run through tsx instead, the generator's calls across modules went through export getters and its closures
 * through a naming helper: 0.55–0.59 ms of CPU per login in the logins scenario against 0.47–0.49 ms bundled, and
 * the generator's core is the first to fill up.
 */
async function bundleScripts(): Promise<void> {
  await build({
    entryPoints: ['load-generator.ts', 'handshake-floor-server.ts'].map((file) =>
      join(root, 'tools/bench-mailbox/src', file),
    ),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['sodium-native'],
    tsconfig: join(root, 'tools/bench-mailbox/tsconfig.json'),
    outdir: BUNDLES,
    outExtension: { '.js': '.cjs' },
    logLevel: 'warning',
  });
}

function startLoadGenerator(args: string[]): LoadGenerator {
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_GENERATOR_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the load generator
      ...envWords('BENCH_GENERATOR_NODE_ARGS'),
      LOAD_GENERATOR_BUNDLE,
      ...args,
    ],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
}

/**
 * CPU milliseconds per login of each process (the generator's over its logins only, the others' over the whole
 * scenario, in which they did nothing else), and their sum: 2,000 logins/s on two cores leave 1 ms in all.
 */
function perLogin(used: Record<string, number>, logins: number): Record<string, number> {
  const perProcess = Object.fromEntries(
    Object.entries(used).map(([name, seconds]) => [name, Math.round((seconds * 1e6) / logins) / 1000]),
  );
  const total = Object.values(used).reduce((sum, seconds) => sum + seconds, 0);
  return { ...perProcess, total: Math.round((total * 1e6) / logins) / 1000 };
}

/**
 * (d)'s reference: the logins scenario, same generator and arguments, against a server that does the handshake and
 * nothing else (handshake-floor-server.ts), warmed by one run first as the mailbox is by the scenarios before it.
 * Its logins/s bound what this machine allows a Node server and the SDK's generator; the mailbox's are read
 * against it.
 */
async function floorScenario(
  keyFile: string,
  identitiesFile: string,
  serverPublicKeyHex: string,
  extra: readonly string[],
): Promise<Record<string, unknown>> {
  // e.g. BENCH_FLOOR_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the floor server
  const server = spawn(
    process.execPath,
    [...envWords('BENCH_FLOOR_NODE_ARGS'), FLOOR_SERVER_BUNDLE, keyFile, identitiesFile],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    const listening = await createInterface({ input: server.stdout })[Symbol.asyncIterator]().next();
    if (listening.done) throw new Error('the floor server ended before it listened');
    const { port } = JSON.parse(listening.value) as { port: number };
    const args = ['logins', identitiesFile, '127.0.0.1', String(port), serverPublicKeyHex, ...extra];
    const warmup = await warmLoadGenerator(args);
    startTimedLogins(warmup);
    await lastJson(warmup);
    const generator = await warmLoadGenerator(args);
    const serverCpu = cpuSeconds(server.pid);
    startTimedLogins(generator);
    const { generatorCpuSeconds, ...figures } = await lastJson(generator);
    const used = {
      floorServer: cpuSeconds(server.pid) - serverCpu,
      loadGenerator: Number(generatorCpuSeconds),
    };
    return { ...figures, scenario: 'floor', cpuMsPerLogin: perLogin(used, Number(figures.logins)) };
  } finally {
    server.stdin.end();
    await exited;
  }
}

/** e.g. BENCH_MAILBOX_ARGS="500 1000 10" runs the open loop at 1,000 msgs/s (see load-generator.ts main()) */
function extraArgs(): string[] {
  return envWords('BENCH_MAILBOX_ARGS');
}

/** The space-separated words of an environment variable (none when it is unset). */
function envWords(name: string): string[] {
  return process.env[name]?.split(' ').filter((word) => word.length > 0) ?? [];
}

/** A logins generator that has done its warm-up logins ({"warm":true}) and waits for startTimedLogins. */
async function warmLoadGenerator(args: string[]): Promise<LoadGenerator> {
  const generator = startLoadGenerator(args);
  const line = await generator.lines.next();
  if (line.done || (JSON.parse(line.value) as { warm?: unknown }).warm !== true) {
    throw new Error('the logins load generator ended before its warm-up was done');
  }
  return generator;
}

function startTimedLogins(generator: LoadGenerator): void {
  generator.child.stdin?.write('go\n');
}

async function lastJson(generator: LoadGenerator): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> | undefined;
  for await (const line of generator.lines) last = JSON.parse(line) as Record<string, unknown>;
  const code = await new Promise<number | null>((resolve) => {
    if (generator.child.exitCode !== null) resolve(generator.child.exitCode);
    else generator.child.once('exit', resolve);
  });
  if (code !== 0 || !last) throw new Error(`load generator failed (exit ${String(code)})`);
  return last;
}

interface MailboxPorts {
  readonly http: number;
  readonly grpc: number;
  readonly csp: number;
}

/** The samples a mailbox's /metrics answers with. */
async function readMetrics(httpPort: number): Promise<Map<string, number>> {
  return parseMetrics(await (await fetch(`http://127.0.0.1:${String(httpPort)}/metrics`)).text());
}

async function mailboxPortSet(): Promise<MailboxPorts> {
  const [http, grpc, csp] = await Promise.all([freePort(), freePort(), freePort()]);
  return { http, grpc, csp };
}

interface IdleInstance {
  readonly pid: number;
  readonly httpPort: number;
  readonly cspPort: number;
}

interface Heap {
  readonly heapUsed: number;
  readonly external: number;
}

/** One instance's resident memory (KiB) when fresh, after its warm-up and holding its connections; its heap. */
interface Measured {
  readonly cold: number;
  readonly before: number;
  readonly after: number;
  readonly heapBefore: Heap;
  readonly heapAfter: Heap;
}

/**
 * (e): 20,000 idle authenticated connections held at once, memory per connection. These machines allow a process
 * 20,000 open files (hard limit; `ulimit -n` cannot raise it, even as root), fewer than 20,000 sockets plus the
 * pool's, NATS's and the runtime's own, so the connections are split between two mailbox instances on this machine,
 * as a site runs several, each from its own generator process (whose sockets count against its own limit). Each
 * instance is fresh, then warmed by a few hundred logins that disconnect again, so that what a process grows once
 * (compiled login path, V8's young generation at its working size, pools) is not divided among the connections.
 * Memory per connection is the growth of both instances' resident memory over all the connections.
 */
async function idleScenario(
  instances: readonly IdleInstance[],
  identitiesFile: string,
  serverPublicKeyHex: string,
): Promise<Record<string, unknown>> {
  const perInstance = IDLE_CONNECTIONS / instances.length;
  const heapOf = async (instance: IdleInstance): Promise<Heap> => {
    const samples = await readMetrics(instance.httpPort);
    return {
      heapUsed: samples.get('ots_nodejs_heap_size_used_bytes') ?? Number.NaN,
      external: samples.get('ots_nodejs_external_memory_bytes') ?? Number.NaN,
    };
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));
  const generators: LoadGenerator[] = [];
  const measured: Measured[] = [];
  /** closes the generators' stdin: each closes its connections and ends with its last line */
  const endGenerators = () => {
    for (const generator of generators) generator.child.stdin?.end();
    return generators.map((generator) => lastJson(generator));
  };
  try {
    for (const [index, instance] of instances.entries()) {
      const base = [identitiesFile, '127.0.0.1', String(instance.cspPort), serverPublicKeyHex];
      const cold = rssKiB(instance.pid);
      if (IDLE_WARMUP > 0) {
        const warmupOffset = IDLE_CONNECTIONS + index * IDLE_WARMUP;
        const warmup = startLoadGenerator(['idle', ...base, String(IDLE_WARMUP), String(warmupOffset)]);
        const warmed = await warmup.lines.next();
        if (warmed.done) throw new Error('idle warm-up generator ended early');
        warmup.child.stdin?.end();
        await lastJson(warmup);
        await settle();
      }
      const before = rssKiB(instance.pid);
      const heapBefore = await heapOf(instance);
      const generator = startLoadGenerator([
        'idle',
        ...base,
        String(perInstance),
        String(index * perInstance),
      ]);
      generators.push(generator);
      const ready = await generator.lines.next();
      if (ready.done) throw new Error('idle load generator ended early');
      const { connections } = JSON.parse(ready.value) as { connections: number };
      if (connections !== perInstance) {
        throw new Error(
          `idle load generator holds ${String(connections)} connections, not ${String(perInstance)}`,
        );
      }
      await settle();
      measured.push({
        cold,
        before,
        after: rssKiB(instance.pid),
        heapBefore,
        heapAfter: await heapOf(instance),
      });
    }
  } catch (error) {
    // the failure above is the one reported; the generators still end and close their connections
    await Promise.allSettled(endGenerators());
    throw error;
  }
  await Promise.all(endGenerators());
  const sum = (pick: (m: Measured) => number) => measured.reduce((total, m) => total + pick(m), 0);
  const perConnection = (kib: number) => Math.round((kib / IDLE_CONNECTIONS) * 100) / 100;
  return {
    scenario: 'idle',
    connections: IDLE_CONNECTIONS,
    mailboxInstances: instances.length,
    kibPerConnection: perConnection(sum((m) => m.after - m.before)),
    kibPerConnectionFromCold: perConnection(sum((m) => m.after - m.cold)),
    // of which (not counting garbage not yet collected, nor V8's free heap pages)
    heapUsedKibPerConnection: perConnection(sum((m) => m.heapAfter.heapUsed - m.heapBefore.heapUsed) / 1024),
    externalKibPerConnection: perConnection(sum((m) => m.heapAfter.external - m.heapBefore.external) / 1024),
    warmupConnectionsPerInstance: IDLE_WARMUP,
    instances: measured.map((m) => ({
      connections: perInstance,
      rssColdMiB: Math.round(m.cold / 1024),
      rssBeforeMiB: Math.round(m.before / 1024),
      rssAfterMiB: Math.round(m.after / 1024),
      kibPerConnection: Math.round(((m.after - m.before) / perInstance) * 100) / 100,
    })),
  };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ots-bench-mailbox-'));
  await bundleScripts();
  log('starting PostgreSQL (durable: fsync on) and NATS…');
  const [postgres, nats] = await Promise.all([startPostgres({ durable: true }), startNats()]);
  const processes: BuiltServiceProcess[] = [];
  try {
    await runMigrations({ databaseUrl: postgres.url });
    const identitiesFile = join(work, 'identities.jsonl');
    const seeded = performance.now();
    await seedIdentities(postgres.url, identitiesFile);
    log(
      `seeded ${String(IDENTITY_COUNT)} identities in ${String(Math.round(performance.now() - seeded))} ms`,
    );

    const serverKeys = generateX25519KeyPair();
    const serverPublicKeyHex = Buffer.from(serverKeys.publicKey).toString('hex');
    const keyFile = join(work, 'csp.key');
    writeFileSync(keyFile, Buffer.from(serverKeys.secretKey).toString('hex'), { mode: 0o600 });
    const [dirHttp, dirGrpc, push] = await Promise.all(Array.from({ length: 3 }, () => freePort()));
    const mailboxPorts = await mailboxPortSet();
    const common = { NATS_URL: nats.url, HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'warn', OTS_SITE: 'bench' };
    const directory = spawnBuiltService(root, 'directory', {
      ...common,
      HTTP_PORT: String(dirHttp),
      DATABASE_URL: postgres.url,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(dirGrpc),
      ...(process.env.BENCH_DIRECTORY_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_DIRECTORY_NODE_OPTIONS }
        : {}),
    });
    processes.push(directory);
    await waitReady(dirHttp, directory, 'directory');
    const startMailbox = (ports: MailboxPorts) =>
      spawnBuiltService(root, 'mailbox', {
        ...common,
        HTTP_PORT: String(ports.http),
        DATABASE_URL: postgres.url,
        DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '16',
        DIRECTORY_GRPC_URL: `127.0.0.1:${String(dirGrpc)}`,
        PUSH_GRPC_URL: `127.0.0.1:${String(push)}`,
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(ports.grpc),
        CSP_SERVER_SECRET_KEY_FILE: keyFile,
        CSP_HOST: '127.0.0.1',
        CSP_PORT: String(ports.csp),
        MAILBOX_QUEUE_QUOTA: '1000000',
        ...(process.env.MAILBOX_STORE_CONCURRENCY
          ? { MAILBOX_STORE_CONCURRENCY: process.env.MAILBOX_STORE_CONCURRENCY }
          : {}),
        // e.g. --cpu-prof --cpu-prof-dir=/tmp/prof to profile the mailbox under load
        ...(process.env.BENCH_MAILBOX_NODE_OPTIONS
          ? { NODE_OPTIONS: process.env.BENCH_MAILBOX_NODE_OPTIONS }
          : {}),
      });
    let mailbox = startMailbox(mailboxPorts);
    processes.push(mailbox);
    await waitReady(mailboxPorts.http, mailbox, 'mailbox');
    let pid = mailbox.child.pid ?? 0;
    const base = [identitiesFile, '127.0.0.1', String(mailboxPorts.csp), serverPublicKeyHex];
    const results: Record<string, unknown>[] = [];

    for (const scenario of scenarios) {
      log(`running ${scenario}…`);
      if (scenario === 'floor') {
        results.push(await floorScenario(keyFile, identitiesFile, serverPublicKeyHex, extraArgs()));
        log(JSON.stringify(results.at(-1)));
        continue;
      }
      if (scenario === 'idle') {
        if (scenario !== scenarios[0]) {
          // memory per connection is measured on fresh processes: after the load scenarios the heap holds garbage
          // that the collector frees during this one, and the difference would mean nothing
          mailbox.child.kill('SIGTERM');
          await mailbox.exited;
          processes.splice(processes.indexOf(mailbox), 1);
          mailbox = startMailbox(mailboxPorts);
          processes.push(mailbox);
          await waitReady(mailboxPorts.http, mailbox, 'mailbox');
          pid = mailbox.child.pid ?? 0;
        }
        // a second instance on this machine, as a site runs several: the 20,000 connections are split between
        // the two, because one process may hold only 20,000 open files here (hard limit, not raisable)
        const secondPorts = await mailboxPortSet();
        const second = startMailbox(secondPorts);
        processes.push(second);
        await waitReady(secondPorts.http, second, 'second mailbox');
        results.push(
          await idleScenario(
            [
              { pid, httpPort: mailboxPorts.http, cspPort: mailboxPorts.csp },
              { pid: second.child.pid ?? 0, httpPort: secondPorts.http, cspPort: secondPorts.csp },
            ],
            identitiesFile,
            serverPublicKeyHex,
          ),
        );
        second.child.kill('SIGTERM');
        await second.exited;
        processes.splice(processes.indexOf(second), 1);
      } else {
        const args = [scenario, ...base, ...extraArgs()];
        // the logins generator's warm-up is not part of the scenario: the figures start after it
        const warmed = scenario === 'logins' ? await warmLoadGenerator(args) : undefined;
        const generatorCpuBefore = warmed ? cpuSeconds(warmed.child.pid) : 0;
        const metricsBefore = await readMetrics(mailboxPorts.http);
        const mailboxCpu = cpuSeconds(pid);
        const postgresCpu = treeCpuSeconds(postgres.pid);
        const natsCpu = cpuSeconds(nats.pid);
        const directoryCpu = cpuSeconds(directory.child.pid);
        const started = performance.now();
        const generator = warmed ?? startLoadGenerator(args);
        if (warmed) startTimedLogins(warmed);
        let generatorCpu = 0;
        const sampler = setInterval(() => {
          const total = cpuSeconds(generator.child.pid);
          if (!Number.isNaN(total)) generatorCpu = total - generatorCpuBefore;
        }, 200);
        const result = await lastJson(generator);
        clearInterval(sampler);
        const wall = (performance.now() - started) / 1000;
        // share of one core each process used over the scenario (2 cores = 200 %)
        const internals = mailboxInternals(metricsBefore, await readMetrics(mailboxPorts.http));
        const used = {
          mailbox: cpuSeconds(pid) - mailboxCpu,
          loadGenerator: generatorCpu,
          postgres: treeCpuSeconds(postgres.pid) - postgresCpu,
          nats: cpuSeconds(nats.pid) - natsCpu,
          directory: cpuSeconds(directory.child.pid) - directoryCpu,
        };
        const share = (seconds: number) => Math.round((seconds / wall) * 100);
        const { generatorCpuSeconds, ...figures } = result;
        results.push({
          ...figures,
          mailbox: internals,
          cpuPercent: {
            mailbox: share(used.mailbox),
            loadGenerator: share(used.loadGenerator),
            postgres: share(used.postgres),
            nats: share(used.nats),
            directory: share(used.directory),
          },
          ...(typeof generatorCpuSeconds === 'number' && typeof result.logins === 'number'
            ? { cpuMsPerLogin: perLogin({ ...used, loadGenerator: generatorCpuSeconds }, result.logins) }
            : {}),
        });
      }
      log(JSON.stringify(results.at(-1)));
      if (scenario !== 'idle') await settleDatabase(postgres.url);
    }
    log(
      '\n== bench:mailbox results (one mailbox instance, two for idle; PostgreSQL durable, 1 KiB bodies, CSP encryption on) ==',
    );
    for (const result of results) log(JSON.stringify(result));
  } finally {
    if (process.env.BENCH_MAILBOX_LOG_FILE) {
      writeFileSync(
        process.env.BENCH_MAILBOX_LOG_FILE,
        processes.map((p) => p.stdout() + p.stderr()).join('\n'),
      );
    }
    for (const child of processes.reverse()) {
      child.child.kill('SIGTERM');
      await child.exited;
    }
    await Promise.all([nats.stop(), postgres.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
