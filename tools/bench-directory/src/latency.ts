/** Latency samples of one run, in milliseconds, and the figures the bench prints. */
export class LatencyRecorder {
  private readonly samples: number[] = [];
  errors = 0;

  record(ms: number): void {
    this.samples.push(ms);
  }

  get count(): number {
    return this.samples.length;
  }

  /** The q-quantile (0..1) by nearest rank; 0 when there are no samples. */
  quantile(q: number): number {
    if (this.samples.length === 0) return 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[rank];
  }
}

export interface RunResult {
  readonly scenario: string;
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export function summarise(scenario: string, recorder: LatencyRecorder, seconds: number): RunResult {
  return {
    scenario,
    requests: recorder.count,
    errors: recorder.errors,
    seconds,
    perSecond: recorder.count / seconds,
    p50Ms: recorder.quantile(0.5),
    p99Ms: recorder.quantile(0.99),
  };
}
