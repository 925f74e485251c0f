import type { DrillResult } from './drill';

const seconds = (ms: number | undefined): string => (ms === undefined ? '—' : (ms / 1000).toFixed(2));

const COLUMNS = [
  'run',
  'verdict',
  'sent',
  'acked',
  'acked<kill',
  'inflight@kill',
  'delivered',
  'dupes',
  'lost',
  'unexpected',
  'unacked',
  'RTO s',
  'all back s',
  'promoted s',
  'total s',
] as const;

/** The results as a fixed-width table an operator can read. */
export function resultTable(results: readonly DrillResult[]): string {
  const rows = results.map((result, index) => [
    String(index + 1),
    result.passed ? 'PASS' : 'FAIL',
    String(result.counts.sent),
    String(result.counts.acked),
    String(result.counts.ackedBeforeKill),
    String(result.counts.inFlightAtKill),
    String(result.counts.delivered),
    String(result.counts.duplicates),
    String(result.counts.lost),
    String(result.counts.unexpected),
    String(result.counts.unacknowledged),
    seconds(result.rtoMs),
    seconds(result.allClientsBackMs),
    seconds(result.promotedMs),
    seconds(result.totalMs),
  ]);
  const widths = COLUMNS.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padStart(widths[i])).join('  ');
  return [line(COLUMNS), ...rows.map(line)].join('\n');
}
