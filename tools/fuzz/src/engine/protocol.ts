import type { CoverageFigures } from './coverage';

// Messages between the supervisor (main thread) and the fuzzing worker, and the shared-memory layout that lets
// the supervisor see the input in flight when the worker hangs or runs out of memory.

export interface WorkerOptions {
  readonly mode: 'fuzz' | 'replay';
  readonly target: string;
  /** absolute path of a module exporting `target` (tests of the harness itself) */
  readonly targetModule?: string;
  /** the target's coverage roots, read by the supervisor: the worker instruments them before loading the target */
  readonly coverageRoots: readonly string[];
  readonly seconds: number;
  readonly seed: number;
  /** directories whose files start the corpus */
  readonly corpusIn: readonly string[];
  /** where inputs with new coverage are written; undefined = keep them in memory only */
  readonly corpusOut?: string;
  readonly statsIntervalMs: number;
  readonly shared: SharedArrayBuffer;
  /** replay mode: the input to run once */
  readonly input?: Uint8Array;
}

export interface WorkerStats {
  readonly execs: number;
  readonly elapsedMs: number;
  readonly corpusSize: number;
  readonly newEntries: number;
  readonly coverage: CoverageFigures;
  readonly instrumentedFiles: number;
}

export type WorkerMessage =
  | { readonly kind: 'stats'; readonly stats: WorkerStats }
  | {
      readonly kind: 'finding';
      readonly input: Uint8Array;
      readonly error: string;
      readonly stats: WorkerStats;
    }
  | { readonly kind: 'done'; readonly stats: WorkerStats }
  | { readonly kind: 'replayed'; readonly error?: string };

/** Int32 slots at the start of the shared buffer; the input bytes follow. */
export const SLOT_EXECS = 0;
export const SLOT_INPUT_LENGTH = 1;
export const SLOT_RUNNING = 2;
export const HEADER_BYTES = 16;

export function sharedBufferFor(maxInputLength: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + maxInputLength);
}

/** The input the worker was running (or last ran). */
export function inputInFlight(shared: SharedArrayBuffer): Uint8Array {
  const header = new Int32Array(shared, 0, HEADER_BYTES / 4);
  const length = Atomics.load(header, SLOT_INPUT_LENGTH);
  return new Uint8Array(shared, HEADER_BYTES, length).slice();
}
