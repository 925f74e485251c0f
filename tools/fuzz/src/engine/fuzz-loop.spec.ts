import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { FuzzTarget } from '../targets/target';
import { COVERAGE_VARIABLE, CoverageMap } from './coverage';
import { FuzzLoop } from './fuzz-loop';
import { sharedBufferFor, type WorkerMessage, type WorkerOptions } from './protocol';

describe('FuzzLoop', () => {
  const globals = globalThis as Record<string, unknown>;
  const counters = { s: { 0: 0, 1: 0 }, f: { 0: 0 }, b: { 0: [0, 0] } };
  let corpusDir: string;

  beforeEach(() => {
    globals[COVERAGE_VARIABLE] = { '/fake/decoder.ts': counters };
    corpusDir = mkdtempSync(path.join(tmpdir(), 'fuzz-loop-'));
  });

  afterEach(() => {
    Reflect.deleteProperty(globals, COVERAGE_VARIABLE);
    rmSync(corpusDir, { recursive: true, force: true });
  });

  function run(target: FuzzTarget, seconds: number): WorkerMessage[] {
    const options: WorkerOptions = {
      mode: 'fuzz',
      target: target.name,
      coverageRoots: ['/fake'],
      seconds,
      seed: 1,
      corpusIn: [corpusDir],
      statsIntervalMs: 10_000,
      shared: sharedBufferFor(target.maxInputLength),
    };
    const messages: WorkerMessage[] = [];
    new FuzzLoop(options, target, new CoverageMap(['/fake']), (message) => messages.push(message)).run();
    return messages;
  }

  const fakeTarget = (run: (input: Uint8Array) => void): FuzzTarget => ({
    name: 'fake',
    coverage: ['/fake'],
    dictionary: [],
    maxInputLength: 32,
    run,
    seeds: () => [],
  });

  it('keeps fuzzing when corpus entries add no new coverage', () => {
    writeFileSync(path.join(corpusDir, 'a.bin'), Uint8Array.of(1, 2, 3));
    writeFileSync(path.join(corpusDir, 'b.bin'), Uint8Array.of(1, 2, 3));
    const messages = run(
      fakeTarget(() => undefined),
      0.2,
    );
    expect(messages).toHaveLength(1);
    const [done] = messages;
    expect(done.kind).toBe('done');
    if (done.kind !== 'done') return;
    expect(done.stats.execs).toBeGreaterThan(100);
    expect(done.stats.corpusSize).toBe(2);
  });

  it('adds inputs with new coverage to the corpus', () => {
    writeFileSync(path.join(corpusDir, 'a.bin'), Uint8Array.of(0));
    const messages = run(
      fakeTarget((input) => {
        counters.s[0] += 1;
        if (input.length > 4) counters.s[1] += 1;
      }),
      0.2,
    );
    const done = messages.at(-1);
    expect(done?.kind).toBe('done');
    if (done?.kind !== 'done') return;
    expect(done.stats.newEntries).toBeGreaterThan(0);
    expect(done.stats.coverage.statements.covered).toBe(2);
  });

  it('reports the first input that breaks the property, with the error, and stops', () => {
    const messages = run(
      fakeTarget((input) => {
        if (input.length > 2) throw new RangeError('out of bounds');
      }),
      5,
    );
    expect(messages).toHaveLength(1);
    const [finding] = messages;
    expect(finding.kind).toBe('finding');
    if (finding.kind !== 'finding') return;
    expect(finding.input.length).toBeGreaterThan(2);
    expect(finding.error).toContain('RangeError: out of bounds');
  });
});
