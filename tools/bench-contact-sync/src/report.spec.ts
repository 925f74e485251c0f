import type { BenchResult } from './bench';
import { formatReport } from './report';

const lookup = { samples: 1000, p50Ms: 0.2, p99Ms: 0.4, maxMs: 0.9 };
const memory = { heapUsed: 20 * 2 ** 20, external: 3 * 2 ** 20, rss: 90 * 2 ** 20 };

function result(bytesPerHash: number, bootToReadyMs: number, p99Ms: number, wrongAnswers = 0): BenchResult {
  return {
    rows: 1_000_000,
    seedMs: 4700,
    service: {
      bootToReadyMs,
      bootCpuSeconds: { contactSync: 3.1, directory: 2.9 },
      load: { entries: 1_000_000, loadMs: bootToReadyMs - 800, indexingMs: 900 },
      memoryEmpty: memory,
      memoryLoaded: { ...memory, heapUsed: memory.heapUsed + bytesPerHash * 1_000_000 },
      bytesPerHash,
      matchCpuMs: 1.2,
      match: { latency: { samples: 2000, p50Ms: p99Ms / 2, p99Ms, maxMs: p99Ms * 2 }, wrongAnswers },
    },
    inProcess: {
      HashIndex: { entries: 1_000_000, bytesPerHash: 104, buildMs: 700, buildCpuMs: 900, lookup },
    },
    nodeArgs: ['--max-semi-space-size=4'],
  };
}

describe('formatReport', () => {
  it('puts each target and its verdict next to the figure', () => {
    const lines = formatReport(result(110.4, 6200, 4.5));
    expect(lines[0]).toBe('1,000,000 linked hashes, one per identity (seeded in 4.7 s)');
    expect(lines).toContainEqual(expect.stringMatching(/110\.4 bytes per linked hash {3}target ≤ 200: met$/));
    expect(lines).toContainEqual(expect.stringMatching(/6\.20 s {3}target ≤ 10 s: met$/));
    expect(lines).toContainEqual(expect.stringMatching(/p99 4\.50 ms.*target p99 ≤ 10 ms: met$/));
    expect(lines).toContainEqual(
      expect.stringContaining('HashIndex class alone, in the bench process: 104.0 bytes'),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/CPU per request: 1\.20 ms .*flags: --max-semi-space-size=4$/),
    );
  });

  it('says NOT met when a figure misses its target, or when an answer was wrong', () => {
    const missed = formatReport(result(887.7, 41_660, 180.75)).join('\n');
    expect(missed).toContain('target ≤ 200: NOT met');
    expect(missed).toContain('target ≤ 10 s: NOT met');
    expect(missed).toContain('target p99 ≤ 10 ms: NOT met');
    expect(formatReport(result(100, 5000, 1, 3)).join('\n')).toContain(
      '3 wrong answers   target p99 ≤ 10 ms: NOT met',
    );
  });
});
