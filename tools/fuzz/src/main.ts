import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { parseFuzzOptions } from './cli-options';
import { writeInput } from './engine/corpus-files';
import type { WorkerStats } from './engine/protocol';
import { superviseTarget, type TargetOutcome } from './engine/supervisor';
import { FUZZ_ROOT, loadTarget, REPOSITORY_ROOT } from './targets';

// `npm run fuzz`: each target in turn for a bounded time; figures per target; a crashing input is written to
// tools/fuzz/crashes/<target>/ and the process exits non-zero.

function formatStats(name: string, stats: WorkerStats | undefined): string {
  if (!stats) return `${name}: no figures`;
  const seconds = stats.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(stats.execs / seconds) : 0;
  const { statements, branches, functions, features } = stats.coverage;
  return (
    `${name}: ${String(stats.execs)} execs in ${seconds.toFixed(1)} s (${String(rate)}/s), ` +
    `corpus ${String(stats.corpusSize)} (+${String(stats.newEntries)} new), coverage ` +
    `statements ${String(statements.covered)}/${String(statements.total)}, ` +
    `branches ${String(branches.covered)}/${String(branches.total)}, ` +
    `functions ${String(functions.covered)}/${String(functions.total)}, features ${String(features)} ` +
    `in ${String(stats.instrumentedFiles)} files`
  );
}

function writeSeeds(targets: readonly string[]): void {
  for (const name of targets) {
    const target = loadTarget(name);
    const directory = path.join(FUZZ_ROOT, 'corpus', name);
    rmSync(directory, { recursive: true, force: true });
    for (const seed of target.seeds()) writeInput(directory, seed.bytes, `${seed.name}-`);
    console.log(
      `${name}: ${String(target.seeds().length)} seeds written to ${path.relative(REPOSITORY_ROOT, directory)}`,
    );
  }
}

function replay(targetName: string, files: readonly string[], targetModule?: string): number {
  const target = loadTarget(targetName, targetModule);
  let failures = 0;
  for (const file of files) {
    try {
      target.run(new Uint8Array(readFileSync(file)));
      console.log(`${file}: property holds`);
    } catch (error) {
      failures++;
      console.log(
        `${file}: FAILS\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  return failures === 0 ? 0 : 1;
}

async function fuzzAll(argv: readonly string[]): Promise<number> {
  const options = parseFuzzOptions(argv);
  if (options.writeSeeds) {
    writeSeeds(options.targets);
    return 0;
  }
  const moduleOf = (name: string): string | undefined =>
    options.targetDir === undefined
      ? undefined
      : path.resolve(REPOSITORY_ROOT, options.targetDir, `${name}.ts`);
  if (options.replay.length > 0)
    return replay(options.targets[0], options.replay, moduleOf(options.targets[0]));
  console.log(
    `fuzz: targets ${options.targets.join(', ')}; ${String(options.seconds)} s each; per-input limit ` +
      `${String(options.perInputTimeoutMs)} ms; heap limit ${String(options.maxHeapMb)} MB; ` +
      `resident limit ${String(options.maxRssMb)} MB; seed ${String(options.seed)}`,
  );
  const outcomes: [string, TargetOutcome][] = [];
  for (const name of options.targets) {
    const targetModule = moduleOf(name);
    const target = loadTarget(name, targetModule);
    let nextReport = Date.now() + options.reportEverySeconds * 1000;
    const outcome = await superviseTarget({
      target,
      ...(targetModule === undefined ? {} : { targetModule }),
      seconds: options.seconds,
      seed: options.seed,
      corpusIn: [path.join(FUZZ_ROOT, 'corpus', name), path.join(FUZZ_ROOT, 'regressions', name)].concat(
        options.corpusOut === undefined ? [] : [path.resolve(REPOSITORY_ROOT, options.corpusOut, name)],
      ),
      ...(options.corpusOut === undefined
        ? {}
        : { corpusOut: path.resolve(REPOSITORY_ROOT, options.corpusOut, name) }),
      perInputTimeoutMs: options.perInputTimeoutMs,
      maxHeapMb: options.maxHeapMb,
      maxRssMb: options.maxRssMb,
      statsIntervalMs: Math.min(options.reportEverySeconds * 1000, 5_000),
      onStats: (stats) => {
        if (Date.now() < nextReport) return;
        nextReport = Date.now() + options.reportEverySeconds * 1000;
        console.log(`  … ${formatStats(name, stats)}`);
      },
    });
    outcomes.push([name, outcome]);
    console.log(formatStats(name, outcome.stats));
    if (outcome.unconfirmed > 0) {
      console.log(
        `  ${String(outcome.unconfirmed)} slow input(s) did not hang again when run alone (machine load)`,
      );
    }
    if (outcome.finding) {
      const file = writeInput(
        path.resolve(REPOSITORY_ROOT, options.crashDir, name),
        outcome.finding.input,
        `${outcome.finding.kind}-`,
        outcome.finding.detail,
      );
      console.log(`  CRASH (${outcome.finding.kind}): ${path.relative(REPOSITORY_ROOT, file)}`);
      console.log(`  ${outcome.finding.detail.split('\n').slice(0, 6).join('\n  ')}`);
    } else {
      console.log('  no crash');
    }
  }
  const failed = outcomes.filter(([, outcome]) => outcome.finding);
  console.log(
    `fuzz summary: ${String(outcomes.length - failed.length)}/${String(outcomes.length)} targets without a crash; ` +
      `${String(outcomes.reduce((sum, [, outcome]) => sum + (outcome.stats?.execs ?? 0), 0))} execs in total`,
  );
  return failed.length === 0 ? 0 : 1;
}

fuzzAll(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
