// One soak run: the system, the population, the mixed load, the sampler, and the verdict.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';

import { DirectoryClient } from '@ots/client';
import { SERVICE_NAMES } from '@ots/local-stack';

import { SoakLoad } from './load';
import type { OperationStats } from './open-loop';
import type { SoakOptions } from './options';
import { createPopulation } from './population';
import { type ProcessSample, sampleProcess, type WatchedProcess } from './process-sampler';
import { startSoakSystem } from './system';
import { type ProcessTrend, type SoakTotals, trendOf, verdict } from './verdict';

export interface OperationFigures {
  readonly name: string;
  readonly offeredPerSecond: number;
  readonly started: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly skipped: number;
  readonly latencyMs: { p50: number; p99: number; max: number };
  readonly errors: Record<string, number>;
}

export interface SoakReport {
  readonly options: SoakOptions;
  readonly loadSeconds: number;
  readonly totals: SoakTotals & {
    readonly notAcked: number;
    readonly duplicates: number;
    readonly wakeups: number;
    readonly drainsIncomplete: number;
  };
  readonly deliveryLatencyMs: { p50: number; p99: number; max: number };
  readonly wakeupLatencyMs: { p50: number; p99: number; max: number };
  readonly operations: OperationFigures[];
  readonly trends: ProcessTrend[];
  readonly samples: Record<string, ProcessSample[]>;
  /** 1-minute load average of the machine at each progress line: others share these 2 cores */
  readonly machineLoad: number[];
  readonly failures: string[];
  readonly passed: boolean;
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

function figures(stats: OperationStats, offered: number): OperationFigures {
  return {
    name: stats.name,
    offeredPerSecond: round(offered, 2),
    started: stats.started,
    succeeded: stats.succeeded,
    failed: stats.failed,
    skipped: stats.skipped,
    latencyMs: {
      p50: round(stats.latency.percentile(0.5), 2),
      p99: round(stats.latency.percentile(0.99), 2),
      max: round(stats.latency.max, 2),
    },
    errors: Object.fromEntries(stats.errors),
  };
}

export async function runSoak(options: SoakOptions, log: (line: string) => void): Promise<SoakReport> {
  const system = await startSoakSystem(log);
  let load: SoakLoad | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let progress: NodeJS.Timeout | undefined;
  try {
    const directory = new DirectoryClient({ baseUrl: system.directoryUrl });
    const population = await createPopulation(directory, system.sms, {
      onlinePairs: options.onlinePairs,
      offlineReceivers: options.offlineReceivers,
      loginClients: options.loginClients,
      exporters: options.exporters,
      linkedIdentities: options.linkedIdentities,
    });
    log(
      `created ${String(population.all.length)} identities (${String(population.linked.length)} with a linked phone number)`,
    );
    load = new SoakLoad(
      options,
      population,
      {
        host: '127.0.0.1',
        port: system.ports.csp,
        serverPublicKey: Buffer.from(system.keys.cspPublicKeyBase64, 'base64'),
      },
      { directory: system.directoryUrl, contactSync: system.contactSyncUrl },
      Buffer.from(system.keys.my3dataPublicKeyBase64, 'base64'),
      system.pushFakes,
    );
    await load.prepare();

    const watched: WatchedProcess[] = [
      ...system.watched,
      { name: 'soak-harness', pid: process.pid, judged: false },
    ];
    const samples: Record<string, ProcessSample[]> = Object.fromEntries(watched.map((w) => [w.name, []]));
    const machineLoad: number[] = [];
    const started = performance.now();
    const elapsed = (): number => performance.now() - started;
    const takeSamples = async (): Promise<void> => {
      const t = elapsed();
      const taken = await Promise.all(watched.map((w) => sampleProcess(w, t)));
      for (const [i, w] of watched.entries()) samples[w.name].push(taken[i]);
    };
    log(
      `load running for ${String(options.durationMs / 1000)} s (warm-up ${String(options.warmupMs / 1000)} s, a sample every ${String(options.sampleIntervalMs / 1000)} s)`,
    );
    load.start();
    await takeSamples();
    sampler = setInterval(() => void takeSamples(), options.sampleIntervalMs);
    const active = load;
    const printProgress = (): void => {
      machineLoad.push(round(loadavg()[0] ?? Number.NaN, 2));
      const { ledger, stats } = active;
      const errors = Object.values(stats).reduce((sum, s) => sum + s.failed, 0);
      const kinds = Object.values(stats)
        .flatMap((s) => [...s.errors].map(([kind, count]) => `${String(count)} × ${s.name}: ${kind}`))
        .join('; ');
      const services = SERVICE_NAMES.map((name) => {
        const last = samples[name].at(-1);
        return last
          ? `${name} ${last.rssMiB.toFixed(0)}/${last.heapUsedMiB.toFixed(0)} MiB ${String(last.openFds)} fd`
          : `${name} -`;
      }).join(', ');
      log(
        `[${(elapsed() / 1000).toFixed(0)} s] msgs sent ${String(ledger.sent)} acked ${String(ledger.acked)} delivered ${String(ledger.delivered)} in flight ${String(ledger.inFlight())}; wake-ups ${String(active.wakeupsReceived)}; errors ${String(errors)}${kinds ? ` (${kinds})` : ''}; load avg ${String(machineLoad.at(-1))} | rss/heap: ${services}`,
      );
    };
    progress = setInterval(printProgress, options.progressIntervalMs);
    await new Promise((resolve) => setTimeout(resolve, options.durationMs));
    clearInterval(progress);
    clearInterval(sampler);
    await takeSamples();
    const loadSeconds = elapsed() / 1000;
    log('load stopped; offline receivers drain once more, then waiting for acknowledged messages…');
    await load.stop();
    const lost = await load.awaitDeliveries(options.drainTimeoutMs);
    printProgress();

    const { ledger, stats } = load;
    const errors = Object.values(stats).reduce((sum, s) => sum + s.failed, 0);
    const totals = {
      sent: ledger.sent,
      acked: ledger.acked,
      delivered: ledger.delivered,
      lost,
      unexpected: ledger.unexpected,
      errors,
      wakeupsMissing: load.wakeupsMissing,
      crashedServices: system.crashed.map((c) => c.name),
      notAcked: ledger.notAcked,
      duplicates: ledger.duplicates,
      wakeups: load.wakeupsReceived,
      drainsIncomplete: load.drainsIncomplete,
    };
    const trends = watched.map((w) => trendOf(w.name, w.judged, samples[w.name] ?? [], options.warmupMs));
    const failures = verdict(totals, trends, options.bounds, options.durationMs - options.warmupMs);
    const histogram = (h: { percentile(q: number): number; max: number }) => ({
      p50: round(h.percentile(0.5), 2),
      p99: round(h.percentile(0.99), 2),
      max: round(h.max, 2),
    });
    const { rates } = options;
    const report: SoakReport = {
      options,
      loadSeconds: round(loadSeconds),
      totals,
      deliveryLatencyMs: histogram(load.deliveryLatency),
      wakeupLatencyMs: histogram(load.wakeupLatency),
      operations: [
        figures(stats.online, rates.onlineMessages),
        figures(stats.offline, rates.offlineMessages),
        figures(stats.drains, 0),
        figures(stats.logins, rates.logins),
        figures(stats.lookups, rates.lookups),
        figures(stats.bulk, rates.bulkLookups),
        figures(stats.matches, rates.matches),
        figures(stats.exports, rates.exports),
        figures(stats.connections, 0),
      ],
      trends,
      samples,
      machineLoad,
      failures,
      passed: failures.length === 0,
    };
    if (options.jsonOut) writeFileSync(options.jsonOut, `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    clearInterval(progress);
    clearInterval(sampler);
    await load?.close().catch(() => undefined);
    await system.stop();
  }
}
