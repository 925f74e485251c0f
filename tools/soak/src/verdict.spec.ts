import { DEFAULT_BOUNDS } from './options';
import type { ProcessSample } from './process-sampler';
import { type SoakTotals, trendOf, verdict } from './verdict';

const HOUR = 3_600_000;
const WINDOW = 25 * 60_000;

/** Samples every 10 s for `minutes`, RSS/heap/fds growing by the given amounts per hour. */
function samples(minutes: number, perHour: { rss: number; heap: number; fds: number }): ProcessSample[] {
  return Array.from({ length: (minutes * 60) / 10 + 1 }, (_, i) => {
    const t = i * 10_000;
    return {
      t,
      rssMiB: 150 + (perHour.rss * t) / HOUR,
      heapUsedMiB: 60 + (perHour.heap * t) / HOUR,
      openFds: Math.round(40 + (perHour.fds * t) / HOUR),
      activeHandles: 30,
      eventLoopLagP99Ms: 12,
    };
  });
}

const clean: SoakTotals = {
  sent: 1000,
  acked: 1000,
  delivered: 1000,
  lost: 0,
  unexpected: 0,
  errors: 0,
  wakeupsMissing: 0,
  crashedServices: [],
};
const flat = trendOf('mailbox', true, samples(30, { rss: 0, heap: 0, fds: 0 }), 5 * 60_000);

describe('soak verdict', () => {
  it('passes flat processes with nothing lost and no errors', () => {
    expect(flat.samples).toBe(151);
    expect(verdict(clean, [flat], DEFAULT_BOUNDS, WINDOW)).toEqual([]);
  });

  it('fails on one lost message, one error, one unexpected delivery, a missing wake-up or a crashed service', () => {
    expect(verdict({ ...clean, lost: 1 }, [flat], DEFAULT_BOUNDS, WINDOW)).toEqual([
      '1 acknowledged messages were never delivered',
    ]);
    expect(verdict({ ...clean, errors: 1 }, [flat], DEFAULT_BOUNDS, WINDOW)).toHaveLength(1);
    expect(verdict({ ...clean, unexpected: 1 }, [flat], DEFAULT_BOUNDS, WINDOW)).toHaveLength(1);
    expect(verdict({ ...clean, wakeupsMissing: 1 }, [flat], DEFAULT_BOUNDS, WINDOW)).toHaveLength(1);
    expect(verdict({ ...clean, crashedServices: ['push'] }, [flat], DEFAULT_BOUNDS, WINDOW)).toEqual([
      'push exited during the soak',
    ]);
    expect(verdict({ ...clean, acked: 0 }, [flat], DEFAULT_BOUNDS, WINDOW)).toHaveLength(1);
  });

  it('fails a heap, RSS or fd leak above the bounds, after the warm-up only', () => {
    const heapLeak = trendOf('push', true, samples(30, { rss: 10, heap: 100, fds: 0 }), 5 * 60_000);
    expect(heapLeak.heapMiB.slopePerHour).toBeCloseTo(100, 0);
    expect(verdict(clean, [heapLeak], DEFAULT_BOUNDS, WINDOW)).toEqual([
      'push: heap slope 100.0 MiB/h exceeds 32 MiB/h',
    ]);
    const fdLeak = trendOf('mailbox', true, samples(30, { rss: 0, heap: 0, fds: 120 }), 5 * 60_000);
    expect(verdict(clean, [fdLeak], DEFAULT_BOUNDS, WINDOW)).toEqual([
      'mailbox: fd slope 120.0 fds/h exceeds 60 fds/h',
      'mailbox: fd floor growth 34.0 fds exceeds 25 fds',
    ]);
    const rssLeak = trendOf('directory', true, samples(30, { rss: 200, heap: 0, fds: 0 }), 5 * 60_000);
    expect(verdict(clean, [rssLeak], DEFAULT_BOUNDS, WINDOW)).toHaveLength(1);
  });

  it('judges only the fd growth when the window after the warm-up is too short for slopes', () => {
    const heapLeak = trendOf('push', true, samples(30, { rss: 0, heap: 100, fds: 120 }), 5 * 60_000);
    expect(verdict(clean, [heapLeak], DEFAULT_BOUNDS, 60_000)).toEqual([
      'push: fd floor growth 34.0 fds exceeds 25 fds',
    ]);
  });

  it('measures fd growth by the floor, so a client pool opening and closing connections is not a leak', () => {
    const pool = samples(30, { rss: 0, heap: 0, fds: 0 }).map((s, i) => ({
      ...s,
      openFds: 40 + (i % 7 === 0 ? 500 : 0) + (i > 140 ? 400 : 0),
    }));
    const trend = trendOf('directory', true, pool, 5 * 60_000);
    expect(trend.fds.last - trend.fds.first).toBeGreaterThan(25);
    expect(trend.fds.floorGrowth).toBe(0);
    expect(verdict(clean, [trend], DEFAULT_BOUNDS, 60_000)).toEqual([]);
  });

  it('ignores growth during the warm-up', () => {
    const warmingUp = samples(30, { rss: 0, heap: 0, fds: 0 }).map((s) =>
      s.t < 5 * 60_000 ? { ...s, heapUsedMiB: s.heapUsedMiB - 50 + s.t / 6000 } : s,
    );
    expect(verdict(clean, [trendOf('mailbox', true, warmingUp, 5 * 60_000)], DEFAULT_BOUNDS, WINDOW)).toEqual(
      [],
    );
  });

  it('fails on too few or incomplete samples, and only reports unjudged processes', () => {
    const short = trendOf('mailbox', true, samples(1, { rss: 0, heap: 0, fds: 0 }), 55_000);
    expect(verdict(clean, [short], DEFAULT_BOUNDS, WINDOW)).toEqual([
      'mailbox: only 1 samples after the warm-up',
    ]);
    const gaps = samples(30, { rss: 0, heap: 0, fds: 0 }).map((s, i) =>
      i === 100 ? { ...s, heapUsedMiB: Number.NaN } : s,
    );
    expect(verdict(clean, [trendOf('push', true, gaps, 0)], DEFAULT_BOUNDS, WINDOW)).toEqual([
      'push: 1 samples incomplete (metrics or /proc unreadable)',
    ]);
    const infra = trendOf('postgres', false, samples(30, { rss: 1000, heap: 0, fds: 500 }), 0);
    expect(verdict(clean, [infra], DEFAULT_BOUNDS, WINDOW)).toEqual([]);
  });
});
