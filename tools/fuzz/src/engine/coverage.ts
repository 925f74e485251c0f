import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Instrumenter } from 'istanbul-lib-instrument';

// Coverage guidance: the target's source files are instrumented with istanbul counters as they are loaded
// (docs/adr/0023). After every input the counters are read into "features" (counter × hit-count bucket, as AFL
// does) and zeroed; an input that shows a feature never seen before joins the corpus.

/** Our own global, so that a Jest run with coverage on never mixes its counters with ours. */
export const COVERAGE_VARIABLE = '__otsFuzzCoverage__';

interface FileCoverage {
  readonly s: Record<number, number>;
  readonly f: Record<number, number>;
  readonly b: Record<number, number[]>;
}

type CompileFunction = (this: NodeJS.Module, code: string, filename: string) => unknown;
type ExtensionHandler = (module: NodeJS.Module & { _compile: CompileFunction }, filename: string) => void;

/**
 * Instruments every source file (TypeScript, or JavaScript such as a dependency's `.cjs`) whose absolute path
 * starts with one of `roots` when it is required. It wraps the loaders already registered (tsx's for `.ts`), so it
 * must run after tsx and before the target's modules are first required.
 */
export function installCoverageHook(roots: readonly string[]): void {
  const extensions = (Module as unknown as { _extensions: Record<string, ExtensionHandler | undefined> })
    ._extensions;
  // loaded on the first cache miss only: it brings Babel, which takes a worker seconds to load on a busy machine
  let instrumenter: Instrumenter | undefined;
  const instrument = (code: string, file: string): string => {
    if (!instrumenter) {
      type Library = typeof import('istanbul-lib-instrument');
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: Babel loads only on a cache miss
      const { createInstrumenter } = require('istanbul-lib-instrument') as Library;
      instrumenter = createInstrumenter({ coverageVariable: COVERAGE_VARIABLE, esModules: false });
    }
    return instrumenter.instrumentSync(code, file);
  };
  const absoluteRoots = roots.map((root) => path.resolve(root));
  for (const extension of ['.ts', '.js']) {
    const load = extensions[extension];
    if (!load)
      throw new Error(`no ${extension} loader registered: run the fuzzer with \`node --import tsx\``);
    extensions[extension] = (module, filename) => {
      if (absoluteRoots.some((root) => filename.startsWith(root))) {
        const compile = module._compile;
        module._compile = function (this: NodeJS.Module, code: string, file: string) {
          return compile.call(this, instrumentCached(code, file, instrument), file);
        };
      }
      load(module, filename);
    };
  }
}

/** Instrumenting a large dependency takes seconds; every worker would repeat it, so results are kept on disk. */
const CACHE_DIRECTORY = path.join(tmpdir(), 'ots-fuzz-instrumented');
const CACHE_VERSION = '1';

function instrumentCached(
  code: string,
  file: string,
  instrument: (code: string, file: string) => string,
): string {
  const key = createHash('sha1').update(CACHE_VERSION).update(file).update('\0').update(code).digest('hex');
  const cached = path.join(CACHE_DIRECTORY, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    const instrumented = instrument(code, file);
    mkdirSync(CACHE_DIRECTORY, { recursive: true });
    // written aside and renamed, so a reader never sees half a file
    const partial = `${cached}.${String(process.pid)}.${String(Math.random()).slice(2)}`;
    writeFileSync(partial, instrumented);
    renameSync(partial, cached);
    return instrumented;
  }
}

const BUCKETS = 8;

/** AFL's hit-count classes: 1, 2, 3, 4–7, 8–15, 16–31, 32–127, 128+. */
function bucketOf(count: number): number {
  if (count <= 3) return count - 1;
  if (count < 8) return 3;
  if (count < 16) return 4;
  if (count < 32) return 5;
  if (count < 128) return 6;
  return 7;
}

interface CounterSet {
  readonly file: string;
  readonly statements: Record<number, number>;
  readonly statementCount: number;
  readonly functions: Record<number, number>;
  readonly functionCount: number;
  readonly branches: Record<number, number[]>;
  readonly branchCount: number;
  /** index of this file's first counter in the feature space */
  readonly base: number;
}

export interface CoverageFigures {
  readonly statements: { readonly covered: number; readonly total: number };
  readonly branches: { readonly covered: number; readonly total: number };
  readonly functions: { readonly covered: number; readonly total: number };
  /** distinct (counter, hit-count bucket) pairs seen */
  readonly features: number;
}

/** Reads and resets the counters of the instrumented files below `roots` after each input. */
export class CoverageMap {
  private readonly files: CounterSet[] = [];
  private readonly seenFeatures: Uint8Array;
  private readonly everHit: Uint8Array;
  private featureCount = 0;

  constructor(roots: readonly string[]) {
    const all = (globalThis as Record<string, unknown>)[COVERAGE_VARIABLE] as
      Record<string, FileCoverage> | undefined;
    const absoluteRoots = roots.map((root) => path.resolve(root));
    let base = 0;
    for (const [file, data] of Object.entries(all ?? {})) {
      if (!absoluteRoots.some((root) => file.startsWith(root))) continue;
      const statementCount = Object.keys(data.s).length;
      const functionCount = Object.keys(data.f).length;
      const branchCount = Object.values(data.b).reduce((sum, arms) => sum + arms.length, 0);
      this.files.push({
        file,
        statements: data.s,
        statementCount,
        functions: data.f,
        functionCount,
        branches: data.b,
        branchCount,
        base,
      });
      base += statementCount + functionCount + branchCount;
    }
    if (base === 0) throw new Error(`no instrumented source below ${roots.join(', ')}`);
    this.seenFeatures = new Uint8Array(base * BUCKETS);
    this.everHit = new Uint8Array(base);
  }

  /** Number of instrumented files that guide this target. */
  get fileCount(): number {
    return this.files.length;
  }

  /** Zeroes all counters (before the first input, so module loading does not count). */
  reset(): void {
    this.collect(false);
  }

  /** Reads the counters of the last input, zeroes them, and returns how many features were new. */
  collect(record = true): number {
    let fresh = 0;
    for (const file of this.files) {
      let index = file.base;
      const { statements, functions, branches } = file;
      for (let i = 0; i < file.statementCount; i++, index++) {
        const count = statements[i];
        if (count === 0) continue;
        statements[i] = 0;
        if (record) fresh += this.note(index, count);
      }
      for (let i = 0; i < file.functionCount; i++, index++) {
        const count = functions[i];
        if (count === 0) continue;
        functions[i] = 0;
        if (record) fresh += this.note(index, count);
      }
      for (let i = 0; ; i++) {
        const arms = branches[i] as number[] | undefined;
        if (arms === undefined) break;
        for (let arm = 0; arm < arms.length; arm++, index++) {
          const count = arms[arm];
          if (count === 0) continue;
          arms[arm] = 0;
          if (record) fresh += this.note(index, count);
        }
      }
    }
    return fresh;
  }

  figures(): CoverageFigures {
    let statements = 0;
    let functions = 0;
    let branches = 0;
    for (const file of this.files) {
      let index = file.base;
      for (let i = 0; i < file.statementCount; i++, index++) statements += this.everHit[index];
      for (let i = 0; i < file.functionCount; i++, index++) functions += this.everHit[index];
      for (let i = 0; i < file.branchCount; i++, index++) branches += this.everHit[index];
    }
    const total = (key: 'statementCount' | 'functionCount' | 'branchCount'): number =>
      this.files.reduce((sum, file) => sum + file[key], 0);
    return {
      statements: { covered: statements, total: total('statementCount') },
      branches: { covered: branches, total: total('branchCount') },
      functions: { covered: functions, total: total('functionCount') },
      features: this.featureCount,
    };
  }

  private note(index: number, count: number): number {
    this.everHit[index] = 1;
    const feature = index * BUCKETS + bucketOf(count);
    if (this.seenFeatures[feature] === 1) return 0;
    this.seenFeatures[feature] = 1;
    this.featureCount++;
    return 1;
  }
}
