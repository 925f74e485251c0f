import { LatencyRecorder, summarise } from './latency';

describe('LatencyRecorder', () => {
  it('reports nearest-rank quantiles', () => {
    const recorder = new LatencyRecorder();
    for (let ms = 1; ms <= 100; ms++) recorder.record(ms);
    expect(recorder.quantile(0.5)).toBe(50);
    expect(recorder.quantile(0.99)).toBe(99);
    expect(recorder.quantile(1)).toBe(100);
  });

  it('summarises a run as rate and latency', () => {
    const recorder = new LatencyRecorder();
    [4, 2, 8, 6].forEach((ms) => {
      recorder.record(ms);
    });
    recorder.errors = 1;
    expect(summarise('get', recorder, 2)).toEqual({
      scenario: 'get',
      requests: 4,
      errors: 1,
      seconds: 2,
      perSecond: 2,
      p50Ms: 4,
      p99Ms: 8,
    });
  });

  it('answers 0 without samples', () => {
    expect(new LatencyRecorder().quantile(0.99)).toBe(0);
  });
});
