import { LatencyHistogram } from './stats';

/** Figures of one kind of operation. Error texts are kinds (never identities or IDs), counted. */
export class OperationStats {
  readonly latency = new LatencyHistogram();
  started = 0;
  succeeded = 0;
  failed = 0;
  /** due but not started because `maxInFlight` were still running: the system did not keep up */
  skipped = 0;
  readonly errors = new Map<string, number>();

  constructor(readonly name: string) {}

  recordError(kind: string): void {
    this.failed += 1;
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }
}

/** The error kind of a failure: its class and message with digits and IDs masked, short. */
export function errorKind(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text
    .replace(/\b[0-9A-Z*][0-9A-Z]{7}\b/g, '<id>')
    .replace(/\d+/g, 'N')
    .slice(0, 120);
}

/**
 * Starts `operation` at `ratePerSecond` on a fixed schedule (open loop: a slow answer does not slow the offered
 * load), with at most `maxInFlight` running. Returns a stop function that resolves once all started ones ended.
 */
export function runOpenLoop(
  stats: OperationStats,
  ratePerSecond: number,
  maxInFlight: number,
  operation: (index: number) => Promise<void>,
): () => Promise<void> {
  if (ratePerSecond <= 0) return () => Promise.resolve();
  const running = new Set<Promise<void>>();
  const start = performance.now();
  let due = 0;
  let stopped = false;
  const tick = (): void => {
    const target = Math.floor(((performance.now() - start) * ratePerSecond) / 1000);
    while (due < target) {
      const index = due;
      due += 1;
      if (running.size >= maxInFlight) {
        stats.skipped += 1;
        continue;
      }
      stats.started += 1;
      const begun = performance.now();
      const promise = operation(index).then(
        () => {
          stats.succeeded += 1;
          stats.latency.record(performance.now() - begun);
        },
        (error: unknown) => {
          stats.recordError(errorKind(error));
        },
      );
      running.add(promise);
      void promise.finally(() => running.delete(promise));
    }
  };
  const timer = setInterval(tick, 5);
  return async () => {
    if (!stopped) {
      stopped = true;
      clearInterval(timer);
    }
    await Promise.all(running);
  };
}
