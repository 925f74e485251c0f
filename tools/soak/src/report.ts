import type { SoakReport } from './soak';

const pad = (text: string, width: number): string => text.padStart(width);
const num = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** The operator's summary: per-operation figures, per-process slopes, totals and the verdict. */
export function formatReport(report: SoakReport): string {
  const { totals, options } = report;
  const lines: string[] = [
    '',
    `== soak: ${num(report.loadSeconds, 0)} s of load, warm-up ${String(options.warmupMs / 1000)} s left out of the slopes ==`,
    'operation                                   offered/s     started   succeeded  failed  skipped   p50 ms   p99 ms   max ms',
  ];
  for (const op of report.operations) {
    lines.push(
      `${op.name.padEnd(42)}${pad(num(op.offeredPerSecond, 2), 10)}${pad(String(op.started), 12)}${pad(String(op.succeeded), 12)}${pad(String(op.failed), 8)}${pad(String(op.skipped), 9)}${pad(num(op.latencyMs.p50, 2), 9)}${pad(num(op.latencyMs.p99, 2), 9)}${pad(num(op.latencyMs.max, 2), 9)}`,
    );
    for (const [kind, count] of Object.entries(op.errors)) lines.push(`    ${String(count)} × ${kind}`);
  }
  lines.push(
    '',
    `messages: sent ${String(totals.sent)}, acknowledged ${String(totals.acked)}, delivered ${String(totals.delivered)}, lost ${String(totals.lost)}, unexpected ${String(totals.unexpected)}, duplicates ${String(totals.duplicates)}, not acknowledged ${String(totals.notAcked)}`,
    `delivery latency (send → receiver) ms: p50 ${num(report.deliveryLatencyMs.p50, 2)}, p99 ${num(report.deliveryLatencyMs.p99, 2)}, max ${num(report.deliveryLatencyMs.max, 2)}`,
    `wake-ups: ${String(totals.wakeups)} pushes accepted by the FCM fake; missing ${String(totals.wakeupsMissing)}; wake-up seen, ms after the offline window closed: p50 ${num(report.wakeupLatencyMs.p50, 0)}, p99 ${num(report.wakeupLatencyMs.p99, 0)}`,
    `errors: ${String(totals.errors)}; services exited: ${totals.crashedServices.length === 0 ? 'none' : totals.crashedServices.join(', ')}; machine load average (1 min): ${report.machineLoad.join(' ')}`,
    '',
    'process        judged samples  RSS MiB first→last  slope MiB/h  heap MiB first→last  slope MiB/h  fds first→last  slope/h  handles  lag p99 max ms',
  );
  for (const t of report.trends) {
    lines.push(
      `${t.name.padEnd(15)}${pad(t.judged ? 'yes' : 'no', 6)}${pad(String(t.samples), 8)}${pad(`${num(t.rssMiB.first, 0)}→${num(t.rssMiB.last, 0)}`, 20)}${pad(num(t.rssMiB.slopePerHour), 13)}${pad(`${num(t.heapMiB.first, 0)}→${num(t.heapMiB.last, 0)}`, 21)}${pad(num(t.heapMiB.slopePerHour), 13)}${pad(`${num(t.fds.first, 0)}→${num(t.fds.last, 0)}`, 16)}${pad(num(t.fds.slopePerHour), 9)}${pad(`${num(t.activeHandles.first, 0)}→${num(t.activeHandles.last, 0)}`, 9)}${pad(num(t.eventLoopLagP99Ms.max), 16)}`,
    );
  }
  const b = options.bounds;
  lines.push(
    options.durationMs - options.warmupMs >= b.minSlopeWindowMs
      ? 'slopes judged (the window after the warm-up is long enough)'
      : `slopes NOT judged: the window after the warm-up is shorter than ${String(b.minSlopeWindowMs / 60_000)} min (fd growth is)`,
    `bounds (judged processes): RSS slope ≤ ${String(b.rssMiBPerHour)} MiB/h, heap slope ≤ ${String(b.heapMiBPerHour)} MiB/h, fd slope ≤ ${String(b.fdsPerHour)}/h, fd floor growth ≤ ${String(b.fdGrowth)}`,
    '',
    report.passed ? 'SOAK PASSED' : `SOAK FAILED:\n${report.failures.map((f) => `  - ${f}`).join('\n')}`,
  );
  return lines.join('\n');
}
