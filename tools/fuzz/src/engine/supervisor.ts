import path from 'node:path';
import { Worker } from 'node:worker_threads';

import type { FuzzTarget } from '../targets/target';
import {
  HEADER_BYTES,
  inputInFlight,
  sharedBufferFor,
  SLOT_EXECS,
  SLOT_RUNNING,
  type WorkerMessage,
  type WorkerOptions,
  type WorkerStats,
} from './protocol';

// Runs one target's fuzzing worker for its time budget and watches it: an input that runs longer than the
// per-input limit, or that makes the worker exceed its heap limit, is a finding too (confirmed by running it once
// more in a fresh worker, so that a pause of a busy machine is not reported as a hang).

export interface SuperviseOptions {
  readonly target: FuzzTarget;
  readonly targetModule?: string;
  readonly seconds: number;
  readonly seed: number;
  readonly corpusIn: readonly string[];
  readonly corpusOut?: string;
  readonly perInputTimeoutMs: number;
  readonly maxHeapMb: number;
  /** resident memory of the whole process; catches buffers, which live outside the worker's heap limit */
  readonly maxRssMb: number;
  readonly statsIntervalMs: number;
  readonly onStats: (stats: WorkerStats) => void;
}

export type FindingKind = 'exception' | 'timeout' | 'out-of-memory';

export interface Finding {
  readonly kind: FindingKind;
  readonly input: Uint8Array;
  readonly detail: string;
}

export interface TargetOutcome {
  readonly stats: WorkerStats | undefined;
  readonly finding?: Finding;
  /** hangs or memory exhaustion that did not happen again when the input was run alone */
  readonly unconfirmed: number;
}

const WORKER_FILE = path.join(__dirname, 'worker-bootstrap.cjs');
const POLL_MS = 50;

type Ended =
  | { readonly kind: 'done'; readonly stats: WorkerStats }
  | {
      readonly kind: 'finding';
      readonly input: Uint8Array;
      readonly error: string;
      readonly stats: WorkerStats;
    }
  | { readonly kind: 'hang' | 'out-of-memory'; readonly input: Uint8Array; readonly detail: string };

export async function superviseTarget(options: SuperviseOptions): Promise<TargetOutcome> {
  const started = Date.now();
  let last: WorkerStats | undefined;
  let unconfirmed = 0;
  let execsBefore = 0;
  for (;;) {
    const remaining = options.seconds - (Date.now() - started) / 1000;
    const ended = await runWorker(options, Math.max(remaining, 0.5), (stats) => {
      last = offset(stats, execsBefore);
      options.onStats(last);
    });
    if (ended.kind === 'done') return { stats: offset(ended.stats, execsBefore), unconfirmed };
    if (ended.kind === 'finding') {
      return {
        stats: offset(ended.stats, execsBefore),
        finding: { kind: 'exception', input: ended.input, detail: ended.error },
        unconfirmed,
      };
    }
    const kind: FindingKind = ended.kind === 'hang' ? 'timeout' : 'out-of-memory';
    const again = await replay(options, ended.input);
    if (again.kind === ended.kind) {
      return { stats: last, finding: { kind, input: ended.input, detail: ended.detail }, unconfirmed };
    }
    // not reproducible alone: carry on with a fresh worker for the rest of the budget
    unconfirmed++;
    execsBefore = last?.execs ?? execsBefore;
    if ((Date.now() - started) / 1000 >= options.seconds) return { stats: last, unconfirmed };
  }
}

function offset(stats: WorkerStats, execsBefore: number): WorkerStats {
  return { ...stats, execs: stats.execs + execsBefore };
}

function workerOptions(
  options: SuperviseOptions,
  seconds: number,
  mode: 'fuzz' | 'replay',
  input?: Uint8Array,
) {
  const shared = sharedBufferFor(options.target.maxInputLength);
  const data: WorkerOptions = {
    mode,
    target: options.target.name,
    ...(options.targetModule === undefined ? {} : { targetModule: options.targetModule }),
    coverageRoots: options.target.coverage,
    seconds,
    seed: options.seed,
    corpusIn: options.corpusIn,
    ...(options.corpusOut === undefined ? {} : { corpusOut: options.corpusOut }),
    statsIntervalMs: options.statsIntervalMs,
    shared,
    ...(input === undefined ? {} : { input }),
  };
  return { shared, data };
}

function startWorker(options: SuperviseOptions, data: WorkerOptions): Worker {
  return new Worker(WORKER_FILE, {
    workerData: data,
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
  });
}

/** Runs the fuzz loop until it ends, hangs, or dies; never rejects. */
function runWorker(
  options: SuperviseOptions,
  seconds: number,
  onStats: (stats: WorkerStats) => void,
): Promise<Ended> {
  const { shared, data } = workerOptions(options, seconds, 'fuzz');
  const header = new Int32Array(shared, 0, HEADER_BYTES / 4);
  const worker = startWorker(options, data);
  return new Promise<Ended>((resolve) => {
    let settled = false;
    let seenExecs = -1;
    let seenAt = Date.now();
    const finish = (ended: Ended): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      // wait until the worker is gone, so that its memory is freed before the next one starts
      void worker.terminate().finally(() => {
        resolve(ended);
      });
    };
    const watchdog = setInterval(() => {
      if (process.memoryUsage.rss() > options.maxRssMb * 1024 * 1024) {
        finish({
          kind: 'out-of-memory',
          input: inputInFlight(shared),
          detail: `the process exceeded ${String(options.maxRssMb)} MB resident memory`,
        });
        return;
      }
      const execs = Atomics.load(header, SLOT_EXECS);
      if (execs !== seenExecs) {
        seenExecs = execs;
        seenAt = Date.now();
        return;
      }
      if (Atomics.load(header, SLOT_RUNNING) === 1 && Date.now() - seenAt > options.perInputTimeoutMs) {
        finish({
          kind: 'hang',
          input: inputInFlight(shared),
          detail: `one input ran longer than ${String(options.perInputTimeoutMs)} ms`,
        });
      }
    }, POLL_MS);
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'stats') onStats(message.stats);
      else if (message.kind === 'done') finish({ kind: 'done', stats: message.stats });
      else if (message.kind === 'finding') {
        finish({ kind: 'finding', input: message.input, error: message.error, stats: message.stats });
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        finish({
          kind: 'out-of-memory',
          input: inputInFlight(shared),
          detail: `the worker exceeded its ${String(options.maxHeapMb)} MB heap`,
        });
      } else {
        // the harness itself failed (e.g. the target did not load): report it as a finding of the target
        finish({
          kind: 'finding',
          input: inputInFlight(shared),
          error: `harness error: ${error.stack ?? error.message}`,
          stats: emptyStats(),
        });
      }
    });
    worker.on('exit', (code) => {
      finish({
        kind: 'finding',
        input: inputInFlight(shared),
        error: `harness error: the fuzz worker exited (code ${String(code)}) without a result`,
        stats: emptyStats(),
      });
    });
  });
}

/** Runs one input alone in a fresh worker: does it hang or exhaust memory again? */
function replay(
  options: SuperviseOptions,
  input: Uint8Array,
): Promise<{ kind: 'hang' | 'out-of-memory' | 'ok' }> {
  const { shared, data } = workerOptions(options, 0, 'replay', input);
  const header = new Int32Array(shared, 0, HEADER_BYTES / 4);
  const worker = startWorker(options, data);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (kind: 'hang' | 'out-of-memory' | 'ok'): void => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      void worker.terminate().finally(() => {
        resolve({ kind });
      });
    };
    // loading the target takes a moment; the limit applies once the input is running
    let runningSince: number | undefined;
    const timer = setInterval(() => {
      if (process.memoryUsage.rss() > options.maxRssMb * 1024 * 1024) {
        finish('out-of-memory');
        return;
      }
      if (Atomics.load(header, SLOT_RUNNING) !== 1) return;
      runningSince ??= Date.now();
      if (Date.now() - runningSince > options.perInputTimeoutMs) finish('hang');
    }, POLL_MS);
    worker.on('message', () => {
      finish('ok');
    });
    worker.on('error', (error: Error & { code?: string }) => {
      finish(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'ok');
    });
    worker.on('exit', () => {
      finish('ok');
    });
  });
}

function emptyStats(): WorkerStats {
  const none = { covered: 0, total: 0 };
  return {
    execs: 0,
    elapsedMs: 0,
    corpusSize: 0,
    newEntries: 0,
    coverage: { statements: none, branches: none, functions: none, features: 0 },
    instrumentedFiles: 0,
  };
}
