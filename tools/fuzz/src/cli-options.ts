import { parseArgs } from 'node:util';

import { TARGET_NAMES } from './targets';

export interface FuzzOptions {
  readonly targets: readonly string[];
  /** per target */
  readonly seconds: number;
  readonly perInputTimeoutMs: number;
  readonly maxHeapMb: number;
  readonly maxRssMb: number;
  readonly seed: number;
  /** undefined: inputs with new coverage are kept in memory only */
  readonly corpusOut: string | undefined;
  readonly reportEverySeconds: number;
  /** a directory of modules `<target>.ts` exporting `target`, instead of the built-in targets (harness tests) */
  readonly targetDir: string | undefined;
  /** where crashing inputs are written, one directory per target */
  readonly crashDir: string;
  readonly writeSeeds: boolean;
  readonly replay: readonly string[];
}

export const USAGE = `npm run fuzz -- [options]
  --target <names>        comma-separated targets (default: all): ${TARGET_NAMES.join(', ')}
  --time <seconds>        fuzzing time per target (default 600)
  --timeout-ms <ms>       per-input time limit (default 2000)
  --max-heap-mb <mb>      heap limit of the fuzzing worker (default 512)
  --max-rss-mb <mb>       resident memory limit of the process, buffers included (default 2048)
  --seed <n>              random seed (default: time-based; printed so a run can be repeated)
  --corpus-out <dir|none> where inputs with new coverage go (default tools/fuzz/.work/corpus/<target>)
  --report-every <s>      progress line interval (default 60)
  --crash-dir <dir>       where crashing inputs go (default tools/fuzz/crashes/<target>)
  --write-seeds           (re)write the checked-in seed corpus tools/fuzz/corpus/<target>/ and exit
  --replay <files>        run the given inputs once against --target and report the outcome`;

function positiveNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number`);
  return parsed;
}

export function parseFuzzOptions(argv: readonly string[]): FuzzOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      time: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'max-heap-mb': { type: 'string' },
      'max-rss-mb': { type: 'string' },
      seed: { type: 'string' },
      'corpus-out': { type: 'string' },
      'report-every': { type: 'string' },
      'target-dir': { type: 'string' },
      'crash-dir': { type: 'string' },
      'write-seeds': { type: 'boolean', default: false },
      replay: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new Error(USAGE);
  const targets =
    values.target === undefined || values.target === 'all' ? TARGET_NAMES : values.target.split(',');
  const moduleGiven = values['target-dir'] !== undefined;
  for (const target of targets) {
    if (!moduleGiven && !TARGET_NAMES.includes(target)) {
      throw new Error(`unknown target "${target}"; known: ${TARGET_NAMES.join(', ')}`);
    }
  }
  const corpusOut = values['corpus-out'];
  return {
    targets,
    seconds: positiveNumber(values.time, 600, '--time'),
    perInputTimeoutMs: positiveNumber(values['timeout-ms'], 2000, '--timeout-ms'),
    maxHeapMb: positiveNumber(values['max-heap-mb'], 512, '--max-heap-mb'),
    maxRssMb: positiveNumber(values['max-rss-mb'], 2048, '--max-rss-mb'),
    seed: values.seed === undefined ? Date.now() % 0xffff_ffff : positiveNumber(values.seed, 1, '--seed'),
    corpusOut: corpusOut === 'none' ? undefined : (corpusOut ?? 'tools/fuzz/.work/corpus'),
    reportEverySeconds: positiveNumber(values['report-every'], 60, '--report-every'),
    targetDir: values['target-dir'],
    crashDir: values['crash-dir'] ?? 'tools/fuzz/crashes',
    writeSeeds: values['write-seeds'],
    replay: values.replay ? positionals : [],
  };
}
