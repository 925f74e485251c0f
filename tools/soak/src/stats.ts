export interface Point {
  /** milliseconds */
  readonly t: number;
  readonly v: number;
}

/** Least-squares slope of v over t, in v per hour. NaN with fewer than two distinct times. */
export function slopePerHour(points: readonly Point[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  let sumT = 0;
  let sumV = 0;
  for (const p of points) {
    sumT += p.t;
    sumV += p.v;
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.t - meanT) * (p.v - meanV);
    variance += (p.t - meanT) ** 2;
  }
  if (variance === 0) return Number.NaN;
  return (covariance / variance) * 3_600_000;
}

const BUCKET_FACTOR = 1.04;
const MIN_MS = 0.05;

/**
 * Latencies in logarithmic buckets (4 % wide): constant memory however long the soak runs, so the harness itself
 * does not grow. Percentiles are the upper edge of their bucket.
 */
export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private maxMs = 0;

  record(ms: number): void {
    const value = Math.max(ms, MIN_MS);
    const bucket = Math.ceil(Math.log(value / MIN_MS) / Math.log(BUCKET_FACTOR));
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total += 1;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  get count(): number {
    return this.total;
  }

  get max(): number {
    return this.maxMs;
  }

  /** q in [0, 1]; NaN when empty */
  percentile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket) ?? 0;
      if (seen >= rank) return Math.min(MIN_MS * BUCKET_FACTOR ** bucket, this.maxMs);
    }
    return this.maxMs;
  }
}
