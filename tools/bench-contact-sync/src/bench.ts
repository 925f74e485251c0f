import { writeFileSync } from 'node:fs';

import { generateX25519KeyPair } from '@ots/crypto';
import { findWorkspaceRoot, runMigrations } from '@ots/db-tools';
import { freePort, startNats, startPostgres } from '@ots/testing';

import { matchQuery } from './bench-data';
import { fetchMatchToken, type HttpMatchFigures, measureHttpMatch } from './http-match';
import { type InProcessFigures, type MeasurableIndex, measureIndexInProcess } from './index-measure';
import { memoryAfterGc, type ProcessMemory } from './inspector';
import { insertSearcher, seedLinkedHashes } from './seed';
import { ServicePathHashIndex } from './service-path-index';
import {
  cpuSeconds,
  deployedNodeArgs,
  type IndexLoadLog,
  indexLoadLog,
  startBuiltService,
  waitUntilReady,
} from './services';

export interface BenchOptions {
  /** linked hashes in the directory (one per identity) */
  readonly rows: number;
  /** hashes per match request */
  readonly querySize: number;
  /** share of a request's hashes that are linked */
  readonly hitRatio: number;
  readonly httpRequests: number;
  readonly httpWarmup: number;
  readonly inProcessLookups: number;
  /** other index implementations to measure in-process next to the service's HashIndex (e.g. a baseline) */
  readonly compareWith?: Readonly<Record<string, () => MeasurableIndex>>;
  readonly log?: (line: string) => void;
}

export interface BenchResult {
  readonly rows: number;
  readonly seedMs: number;
  readonly service: {
    /** spawn of the contact-sync process until its /readyz answered 200 */
    readonly bootToReadyMs: number;
    /** CPU seconds contact-sync and the directory used in that time (the machine may be shared) */
    readonly bootCpuSeconds: { readonly contactSync: number; readonly directory: number };
    /** contact-sync's own log: the snapshot stream start until loaded, and the index-insertion part of it */
    readonly load: IndexLoadLog;
    /** after forced GCs, over the inspector: with an empty index, and with all rows loaded */
    readonly memoryEmpty: ProcessMemory;
    readonly memoryLoaded: ProcessMemory;
    /** (heap used + external) loaded minus empty, per linked hash */
    readonly bytesPerHash: number;
    readonly match: HttpMatchFigures;
    /** contact-sync's CPU time per timed match request (warm-up included: an upper bound) */
    readonly matchCpuMs: number;
  };
  readonly inProcess: Readonly<Record<string, InProcessFigures>>;
  /** node flags contact-sync ran with, besides --inspect */
  readonly nodeArgs: readonly string[];
}

const SEARCHER = 'BENCHSRC';
const extraNodeArgs = (process.env.BENCH_CONTACT_SYNC_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** BENCH_CONTACT_SYNC_DEPLOYED_ARGS=0 runs contact-sync without its deployed node flags (to compare) */
const withDeployedArgs = process.env.BENCH_CONTACT_SYNC_DEPLOYED_ARGS !== '0';
/** a file for contact-sync's last 64 KiB of output after the timed matches (e.g. with --trace-gc above) */
const serviceOutputFile = process.env.BENCH_CONTACT_SYNC_OUTPUT_FILE;

/**
 * The contact-sync bench (issue 6): a directory over PostgreSQL holding `rows` linked hashes, contact-sync booted
 * against it (the real load path: directory.v1 StreamLinkedHashes), memory read inside the contact-sync
 * process, identity/match timed over HTTP; then the index class alone in this process (needs --expose-gc).
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => undefined);
  const root = findWorkspaceRoot(__dirname);
  const nodeArgs = [...(withDeployedArgs ? deployedNodeArgs(root) : []), ...extraNodeArgs];
  const searcher = generateX25519KeyPair();
  const credentials = { identity: SEARCHER, secretKey: searcher.secretKey };
  const queries = Array.from({ length: 20 }, () =>
    matchQuery(options.rows, options.querySize, options.hitRatio),
  );
  const [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
  const running: { stop(): Promise<void> }[] = [];
  try {
    await runMigrations({ databaseUrl: postgres.url });
    await insertSearcher(postgres.url, SEARCHER, searcher.publicKey);

    const [dirHttp, dirGrpc] = await Promise.all([freePort(), freePort()]);
    const directory = startBuiltService(root, 'directory', {
      DATABASE_URL: postgres.url,
      NATS_URL: nats.url,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(dirHttp),
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(dirGrpc),
      LOG_LEVEL: 'warn',
      OTS_SITE: 'bench',
    });
    running.push(directory);
    await waitUntilReady(directory, dirHttp, 60_000);

    const bootContactSync = async () => {
      const [httpPort, inspectPort] = await Promise.all([freePort(), freePort()]);
      const service = startBuiltService(
        root,
        'contact-sync',
        {
          NATS_URL: nats.url,
          HTTP_HOST: '127.0.0.1',
          HTTP_PORT: String(httpPort),
          DIRECTORY_GRPC_URL: `127.0.0.1:${String(dirGrpc)}`,
          LOG_LEVEL: 'info',
          OTS_SITE: 'bench',
          // one searcher sends every request: lift the per-identity caps so they do not cap the bench
          CONTACT_SYNC_REQUESTS_PER_IDENTITY_PER_MINUTE: '1000000000',
          CONTACT_SYNC_HASHES_PER_IDENTITY_PER_DAY: '1000000000000',
        },
        // BENCH_CONTACT_SYNC_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles contact-sync
        [`--inspect=127.0.0.1:${String(inspectPort)}`, ...nodeArgs],
      );
      running.push(service);
      const directoryCpu = cpuSeconds(directory.child.pid);
      const readyAt = await waitUntilReady(service, httpPort, 120_000);
      const bootCpuSeconds = {
        contactSync: cpuSeconds(service.child.pid),
        directory: cpuSeconds(directory.child.pid) - directoryCpu,
      };
      const baseUrl = `http://127.0.0.1:${String(httpPort)}`;
      const matchToken = await fetchMatchToken(baseUrl, credentials);
      // one request before the memory reading, so both readings include the code a match compiles
      await measureHttpMatch(baseUrl, matchToken, queries.slice(0, 1), { requests: 1, warmup: 0 });
      const memory = await memoryAfterGc(inspectPort);
      return {
        service,
        baseUrl,
        matchToken,
        bootToReadyMs: readyAt - service.spawnedAt,
        bootCpuSeconds,
        memory,
      };
    };

    log('contact-sync with an empty index (memory baseline)…');
    const empty = await bootContactSync();
    await empty.service.stop();

    log(`seeding ${String(options.rows)} linked hashes…`);
    const seedMs = await seedLinkedHashes(postgres.url, options.rows);
    log(`  seeded in ${String(seedMs)} ms`);

    log('contact-sync loading the index from the directory…');
    const loaded = await bootContactSync();
    const load = indexLoadLog(loaded.service.output());
    if (load.entries !== options.rows) {
      throw new Error(`contact-sync loaded ${String(load.entries)} of ${String(options.rows)} hashes`);
    }
    log(
      `timing identity/match: ${String(options.httpRequests)} requests of ${String(options.querySize)} hashes…`,
    );
    const cpuBefore = cpuSeconds(loaded.service.child.pid);
    const match = await measureHttpMatch(loaded.baseUrl, loaded.matchToken, queries, {
      requests: options.httpRequests,
      warmup: options.httpWarmup,
    });
    if (serviceOutputFile !== undefined) writeFileSync(serviceOutputFile, loaded.service.output());
    const matchCpuMs =
      ((cpuSeconds(loaded.service.child.pid) - cpuBefore) * 1000) / Math.max(1, match.latency.samples);
    const retained = (memory: ProcessMemory) => memory.heapUsed + memory.external;
    const service = {
      bootToReadyMs: loaded.bootToReadyMs,
      bootCpuSeconds: loaded.bootCpuSeconds,
      load,
      memoryEmpty: empty.memory,
      memoryLoaded: loaded.memory,
      bytesPerHash: (retained(loaded.memory) - retained(empty.memory)) / options.rows,
      match,
      matchCpuMs,
    };
    for (const started of running.reverse()) await started.stop();
    running.length = 0;

    const inProcess: Record<string, InProcessFigures> = {};
    // HashIndex as the service calls it (packed hashes, matchInto into reused scratch)
    const implementations = { HashIndex: () => new ServicePathHashIndex(), ...options.compareWith };
    for (const [name, create] of Object.entries(implementations)) {
      log(`in-process: ${name} with ${String(options.rows)} linked hashes…`);
      inProcess[name] = measureIndexInProcess(create, {
        rows: options.rows,
        querySize: options.querySize,
        hitRatio: options.hitRatio,
        lookups: options.inProcessLookups,
      });
    }
    return { rows: options.rows, seedMs, service, inProcess, nodeArgs };
  } finally {
    for (const started of running.reverse()) await started.stop();
    await Promise.all([nats.stop(), postgres.stop()]);
  }
}
