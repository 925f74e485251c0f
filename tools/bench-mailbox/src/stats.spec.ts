import { percentile, summarise } from './stats';

describe('latency statistics', () => {
  it('uses the nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('summarises unsorted samples', () => {
    expect(summarise([5, 1, 3])).toEqual({ count: 3, p50: 3, p99: 5, max: 5 });
    expect(summarise([]).count).toBe(0);
  });
});
