import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { LinkedHashEntry } from '@ots/contact-sync-index';

import { linkedHashEntry, matchQuery } from './bench-data';
import { type Latency, latencyOf } from './latency';

/** What the bench needs of an index implementation (the service's HashIndex, or the baseline it replaced). */
export interface MeasurableIndex {
  readonly size: number;
  link(entry: LinkedHashEntry): void;
  match(
    emailHashes: readonly Uint8Array[],
    mobileNoHashes: readonly Uint8Array[],
    includeInactive: boolean,
  ): { readonly length: number };
}

export interface InProcessFigures {
  readonly entries: number;
  /** heap + external memory the loaded index keeps, after forced GCs, per linked hash */
  readonly bytesPerHash: number;
  /** time spent in link() for all rows (the entries are made outside the timed part) */
  readonly buildMs: number;
  /** this process's CPU time for making and linking all rows (an upper bound of link()'s CPU cost) */
  readonly buildCpuMs: number;
  /** one match() call of a request's hashes */
  readonly lookup: Latency;
}

/** `gc` from --expose-gc, or else switched on at run time (the flag applies to contexts created after it). */
function forcedGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function collectGarbage(): void {
  const gc = forcedGc();
  // two rounds: the first may only schedule finalisation of weak structures
  gc();
  gc();
}

function retainedBytes(): number {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/**
 * Loads `rows` linked hashes into a new index in this process and measures what it keeps (heap used plus
 * external memory after forced GCs, minus the same before) and how long lookups take. The entries are made
 * one at a time, like decoded stream messages, so only what the index itself retains is counted.
 */
export function measureIndexInProcess(
  createIndex: () => MeasurableIndex,
  options: { rows: number; querySize: number; hitRatio: number; lookups: number },
): InProcessFigures {
  const queries = Array.from({ length: 20 }, () =>
    matchQuery(options.rows, options.querySize, options.hitRatio),
  );
  const before = retainedBytes();
  const index = createIndex();
  let buildMs = 0;
  const cpuBefore = process.cpuUsage();
  for (let row = 1; row <= options.rows; row++) {
    const entry = linkedHashEntry(row);
    const started = performance.now();
    index.link(entry);
    buildMs += performance.now() - started;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const bytes = retainedBytes() - before;
  if (index.size !== options.rows) {
    throw new Error(`index holds ${String(index.size)} of ${String(options.rows)} linked hashes`);
  }

  const samples: number[] = [];
  const warmup = Math.min(100, options.lookups);
  for (let n = 0; n < warmup + options.lookups; n++) {
    const query = queries[n % queries.length];
    const started = performance.now();
    const found = index.match(query.emailHashes, query.mobileNoHashes, false);
    const elapsed = performance.now() - started;
    if (found.length !== query.expectedMatches) {
      throw new Error(`match found ${String(found.length)} of ${String(query.expectedMatches)} identities`);
    }
    if (n >= warmup) samples.push(elapsed);
  }
  return {
    entries: index.size,
    bytesPerHash: bytes / options.rows,
    buildMs,
    buildCpuMs: (cpu.user + cpu.system) / 1000,
    lookup: latencyOf(samples),
  };
}
