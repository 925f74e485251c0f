import type { SlopeBounds } from './options';
import type { ProcessSample } from './process-sampler';
import { slopePerHour } from './stats';

export interface ProcessTrend {
  readonly name: string;
  readonly judged: boolean;
  /** samples after the warm-up (the slopes use these) */
  readonly samples: number;
  readonly rssMiB: { first: number; last: number; max: number; slopePerHour: number };
  readonly heapMiB: { first: number; last: number; max: number; slopePerHour: number };
  readonly fds: { first: number; last: number; max: number; slopePerHour: number; floorGrowth: number };
  readonly activeHandles: { first: number; last: number };
  readonly eventLoopLagP99Ms: { max: number };
  /** samples where a source did not answer (a /metrics scrape that failed, a process gone) */
  readonly incompleteSamples: number;
}

const finite = (values: number[]): number[] => values.filter((v) => Number.isFinite(v));
const maxOf = (values: number[]): number => {
  const ok = finite(values);
  return ok.length === 0 ? Number.NaN : Math.max(...ok);
};

/**
 * How much the floor rose: the lowest value of the last third minus the lowest of the first third. Open files move
 * with the clients' keep-alive connection pools (hundreds at a time when answers are slow); a leak raises the floor.
 */
export function floorGrowth(values: readonly number[]): number {
  const ok = finite([...values]);
  if (ok.length < 3) return Number.NaN;
  const third = Math.floor(ok.length / 3);
  return Math.min(...ok.slice(-third)) - Math.min(...ok.slice(0, third));
}

/** The trend of one process from its samples after `warmupMs`. */
export function trendOf(
  name: string,
  judged: boolean,
  all: readonly ProcessSample[],
  warmupMs: number,
): ProcessTrend {
  const samples = all.filter((s) => s.t >= warmupMs);
  const series = (pick: (s: ProcessSample) => number) => {
    const points = samples.map((s) => ({ t: s.t, v: pick(s) })).filter((p) => Number.isFinite(p.v));
    return {
      first: points[0]?.v ?? Number.NaN,
      last: points.at(-1)?.v ?? Number.NaN,
      max: maxOf(points.map((p) => p.v)),
      slopePerHour: slopePerHour(points),
    };
  };
  const handles = series((s) => s.activeHandles);
  return {
    name,
    judged,
    samples: samples.length,
    rssMiB: series((s) => s.rssMiB),
    heapMiB: series((s) => s.heapUsedMiB),
    fds: { ...series((s) => s.openFds), floorGrowth: floorGrowth(samples.map((s) => s.openFds)) },
    activeHandles: { first: handles.first, last: handles.last },
    eventLoopLagP99Ms: { max: maxOf(all.map((s) => s.eventLoopLagP99Ms)) },
    incompleteSamples: samples.filter(
      (s) =>
        !Number.isFinite(s.rssMiB) ||
        !Number.isFinite(s.openFds) ||
        (judged && !Number.isFinite(s.heapUsedMiB)),
    ).length,
  };
}

export interface SoakTotals {
  readonly sent: number;
  readonly acked: number;
  readonly delivered: number;
  /** acknowledged by the server and never delivered */
  readonly lost: number;
  /** delivered but never sent to that receiver */
  readonly unexpected: number;
  /** failed operations of every kind, unexpected connection closes included */
  readonly errors: number;
  readonly wakeupsMissing: number;
  readonly crashedServices: readonly string[];
}

/** Every reason the soak fails; empty = pass. */
export function verdict(
  totals: SoakTotals,
  trends: readonly ProcessTrend[],
  bounds: SlopeBounds,
  slopeWindowMs: number,
): string[] {
  const judgeSlopes = slopeWindowMs >= bounds.minSlopeWindowMs;
  const failures: string[] = [];
  if (totals.errors > 0) failures.push(`${totals.errors} operations failed (the error rate must be zero)`);
  if (totals.lost > 0) failures.push(`${totals.lost} acknowledged messages were never delivered`);
  if (totals.unexpected > 0)
    failures.push(`${totals.unexpected} deliveries of messages that were never sent`);
  if (totals.wakeupsMissing > 0) failures.push(`${totals.wakeupsMissing} offline windows without a wake-up`);
  if (totals.acked === 0) failures.push('no message was acknowledged: the load did not run');
  for (const name of totals.crashedServices) failures.push(`${name} exited during the soak`);
  for (const trend of trends) {
    if (!trend.judged) continue;
    if (trend.samples < 3) {
      failures.push(`${trend.name}: only ${trend.samples} samples after the warm-up`);
      continue;
    }
    if (trend.incompleteSamples > 0)
      failures.push(
        `${trend.name}: ${trend.incompleteSamples} samples incomplete (metrics or /proc unreadable)`,
      );
    const over = (what: string, value: number, bound: number, unit: string): void => {
      if (!(value <= bound))
        failures.push(`${trend.name}: ${what} ${value.toFixed(1)} ${unit} exceeds ${String(bound)} ${unit}`);
    };
    if (judgeSlopes) {
      over('RSS slope', trend.rssMiB.slopePerHour, bounds.rssMiBPerHour, 'MiB/h');
      over('heap slope', trend.heapMiB.slopePerHour, bounds.heapMiBPerHour, 'MiB/h');
      over('fd slope', trend.fds.slopePerHour, bounds.fdsPerHour, 'fds/h');
    }
    over('fd floor growth', trend.fds.floorGrowth, bounds.fdGrowth, 'fds');
  }
  return failures;
}
