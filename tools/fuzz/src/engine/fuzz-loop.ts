import { performance } from 'node:perf_hooks';

import type { FuzzTarget } from '../targets/target';
import { readInputs, writeInput } from './corpus-files';
import type { CoverageMap } from './coverage';
import { Mutator } from './mutator';
import {
  HEADER_BYTES,
  SLOT_EXECS,
  SLOT_INPUT_LENGTH,
  SLOT_RUNNING,
  type WorkerMessage,
  type WorkerOptions,
  type WorkerStats,
} from './protocol';
import { Random } from './random';

// The fuzzing loop: start from the corpus directories, then mutate corpus entries until the time is up; an input
// with new coverage joins the corpus; the first input that breaks the target's property ends the loop.

const MAX_CORPUS_ENTRIES = 20_000;

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

export class FuzzLoop {
  private readonly header: Int32Array;
  private readonly inputBytes: Uint8Array;
  private readonly corpus: Uint8Array[] = [];
  private execs = 0;
  private newEntries = 0;
  private readonly started = performance.now();

  constructor(
    private readonly options: WorkerOptions,
    private readonly target: FuzzTarget,
    private readonly coverage: CoverageMap,
    private readonly post: (message: WorkerMessage) => void,
  ) {
    this.header = new Int32Array(options.shared, 0, HEADER_BYTES / 4);
    this.inputBytes = new Uint8Array(options.shared, HEADER_BYTES);
  }

  run(): void {
    const { options, target } = this;
    for (const directory of options.corpusIn) {
      for (const { bytes } of readInputs(directory)) {
        const input = bytes.subarray(0, target.maxInputLength);
        if (this.execute(input) === undefined) return;
        this.corpus.push(input);
      }
    }
    if (this.corpus.length === 0) this.corpus.push(new Uint8Array(0));
    const random = new Random(options.seed);
    const mutator = new Mutator(random, { maxLength: target.maxInputLength, dictionary: target.dictionary });
    const deadline = this.started + options.seconds * 1000;
    let nextStats = this.started + options.statsIntervalMs;
    for (;;) {
      for (let i = 0; i < 64; i++) {
        const parent = random.pick(this.corpus);
        const child = mutator.mutate(parent, random.pick(this.corpus));
        const fresh = this.execute(child);
        if (fresh === undefined) return;
        if (fresh > 0 && this.corpus.length < MAX_CORPUS_ENTRIES) {
          this.corpus.push(child);
          this.newEntries++;
          if (options.corpusOut !== undefined) writeInput(options.corpusOut, child);
        }
      }
      const now = performance.now();
      if (now >= deadline) break;
      if (now >= nextStats) {
        nextStats = now + options.statsIntervalMs;
        this.post({ kind: 'stats', stats: this.stats() });
      }
    }
    this.post({ kind: 'done', stats: this.stats() });
  }

  /** Runs one input; the number of new coverage features, or undefined when the property failed (reported). */
  private execute(input: Uint8Array): number | undefined {
    this.inputBytes.set(input);
    Atomics.store(this.header, SLOT_INPUT_LENGTH, input.length);
    Atomics.store(this.header, SLOT_RUNNING, 1);
    Atomics.add(this.header, SLOT_EXECS, 1);
    this.execs++;
    try {
      this.target.run(input);
    } catch (error) {
      this.post({ kind: 'finding', input: input.slice(), error: describeError(error), stats: this.stats() });
      return undefined;
    } finally {
      Atomics.store(this.header, SLOT_RUNNING, 0);
    }
    return this.coverage.collect();
  }

  private stats(): WorkerStats {
    return {
      execs: this.execs,
      elapsedMs: performance.now() - this.started,
      corpusSize: this.corpus.length,
      newEntries: this.newEntries,
      coverage: this.coverage.figures(),
      instrumentedFiles: this.coverage.fileCount,
    };
  }
}
