import { LatencyHistogram, slopePerHour } from './stats';

describe('slopePerHour', () => {
  it('is the least-squares slope in units per hour', () => {
    // 10 MiB more every 6 minutes = 100 MiB/h, with alternating noise that cancels out
    const points = Array.from({ length: 11 }, (_, i) => ({
      t: i * 360_000,
      v: 200 + i * 10 + (i % 2 === 0 ? 3 : -3),
    }));
    expect(slopePerHour(points)).toBeCloseTo(100, -0.5);
  });

  it('is zero for a flat series and negative for a falling one', () => {
    expect(slopePerHour([0, 1, 2].map((i) => ({ t: i * 1000, v: 5 })))).toBe(0);
    expect(slopePerHour([0, 1].map((i) => ({ t: i * 3_600_000, v: 10 - i })))).toBeCloseTo(-1);
  });

  it('is NaN without two distinct times', () => {
    expect(slopePerHour([{ t: 1, v: 1 }])).toBeNaN();
    expect(
      slopePerHour([
        { t: 1, v: 1 },
        { t: 1, v: 2 },
      ]),
    ).toBeNaN();
  });
});

describe('LatencyHistogram', () => {
  it('reports percentiles within its 4 % bucket width and the exact maximum', () => {
    const histogram = new LatencyHistogram();
    for (let ms = 1; ms <= 1000; ms += 1) histogram.record(ms);
    expect(histogram.count).toBe(1000);
    expect(histogram.percentile(0.5)).toBeGreaterThanOrEqual(500);
    expect(histogram.percentile(0.5)).toBeLessThanOrEqual(520);
    expect(histogram.percentile(0.99)).toBeGreaterThanOrEqual(990);
    expect(histogram.percentile(0.99)).toBeLessThanOrEqual(1000);
    expect(histogram.max).toBe(1000);
  });

  it('is NaN when empty', () => {
    expect(new LatencyHistogram().percentile(0.5)).toBeNaN();
  });
});
