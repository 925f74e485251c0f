import { readdirSync, readFileSync } from 'node:fs';

/** One reading of one process. NaN where a source did not answer (counted as a sampling failure). */
export interface ProcessSample {
  /** ms since the load started */
  readonly t: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly openFds: number;
  readonly activeHandles: number;
  readonly eventLoopLagP99Ms: number;
}

/** What the soak watches: a service (with /metrics) or a server without (PostgreSQL, nats-server). */
export interface WatchedProcess {
  readonly name: string;
  readonly pid: number;
  /** http://127.0.0.1:<port>/metrics of a service; servers have none */
  readonly metricsUrl?: string;
  /** services are judged by the slope bounds; infrastructure is only reported */
  readonly judged: boolean;
}

const MIB = 1024 * 1024;

/** Values of unlabelled-by-identity prom-client metrics, by name (prefix included). First series wins. */
export function parsePrometheusText(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const [, name, , raw] = match;
    if (values.has(name)) continue;
    const value = Number(raw);
    if (!Number.isNaN(value)) values.set(name, value);
  }
  return values;
}

export function rssMiBOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}

export function openFdsOf(pid: number): number {
  try {
    return readdirSync(`/proc/${String(pid)}/fd`).length;
  } catch {
    return Number.NaN;
  }
}

async function metricsOf(url: string): Promise<Map<string, number>> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return new Map();
    return parsePrometheusText(await response.text());
  } catch {
    return new Map();
  }
}

/** RSS and fds from /proc (the kernel's view); heap, handles and event-loop lag from the service's prom-client. */
export async function sampleProcess(watched: WatchedProcess, t: number): Promise<ProcessSample> {
  const metrics = watched.metricsUrl ? await metricsOf(watched.metricsUrl) : new Map<string, number>();
  const metric = (name: string): number => metrics.get(`ots_${name}`) ?? Number.NaN;
  return {
    t,
    rssMiB: rssMiBOf(watched.pid),
    heapUsedMiB: metric('nodejs_heap_size_used_bytes') / MIB,
    openFds: openFdsOf(watched.pid),
    activeHandles: metric('nodejs_active_handles_total'),
    eventLoopLagP99Ms: metric('nodejs_eventloop_lag_p99_seconds') * 1000,
  };
}
