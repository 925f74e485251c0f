import { latencyOf, quantile } from './latency';

describe('latency figures', () => {
  it('reports nearest-rank quantiles of unsorted samples', () => {
    const samples = Array.from({ length: 100 }, (_, n) => 100 - n);
    expect(quantile(samples, 0.5)).toBe(50);
    expect(quantile(samples, 0.99)).toBe(99);
    expect(latencyOf(samples)).toEqual({ samples: 100, p50Ms: 50, p99Ms: 99, maxMs: 100 });
  });

  it('answers 0 without samples', () => {
    expect(latencyOf([])).toEqual({ samples: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });
  });
});
