import type { BenchResult } from './bench';

/** Issue 6 acceptance 4. */
export const TARGETS = { bytesPerHash: 200, loadMs: 10_000, matchP99Ms: 10 } as const;

const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
const n = (value: number, digits = 1) => value.toFixed(digits);
const mib = (bytes: number) => `${n(bytes / 2 ** 20)} MiB`;

/** The bench's figures, each with its target and whether it is met (the end-to-end figure decides). */
export function formatReport(result: BenchResult): string[] {
  const { service } = result;
  const rows = result.rows.toLocaleString('en-US');
  const lines = [
    `${rows} linked hashes, one per identity (seeded in ${n(result.seedMs / 1000)} s)`,
    '',
    'memory of the index (heap used + external after forced GCs)',
    `  contact-sync process, loaded minus empty index: ${n(service.bytesPerHash)} bytes per linked hash` +
      `   target ≤ ${String(TARGETS.bytesPerHash)}: ${verdict(service.bytesPerHash <= TARGETS.bytesPerHash)}`,
    `    (heap ${mib(service.memoryEmpty.heapUsed)} → ${mib(service.memoryLoaded.heapUsed)}, external ` +
      `${mib(service.memoryEmpty.external)} → ${mib(service.memoryLoaded.external)}, RSS ${mib(service.memoryLoaded.rss)})`,
  ];
  for (const [name, figures] of Object.entries(result.inProcess)) {
    lines.push(
      `  ${name} class alone, in the bench process: ${n(figures.bytesPerHash)} bytes per linked hash`,
    );
  }
  lines.push(
    '',
    'load (directory.v1 StreamLinkedHashes from PostgreSQL into contact-sync)',
    `  contact-sync spawn until /readyz 200: ${n(service.bootToReadyMs / 1000, 2)} s` +
      `   target ≤ ${String(TARGETS.loadMs / 1000)} s: ${verdict(service.bootToReadyMs <= TARGETS.loadMs)}`,
    `    of which the snapshot stream: ${n(service.load.loadMs / 1000, 2)} s, of which building the index: ` +
      `${n(service.load.indexingMs / 1000, 2)} s`,
    `    CPU used meanwhile: contact-sync ${n(service.bootCpuSeconds.contactSync, 2)} s, directory ` +
      `${n(service.bootCpuSeconds.directory, 2)} s (PostgreSQL not counted)`,
  );
  for (const [name, figures] of Object.entries(result.inProcess)) {
    lines.push(
      `  ${name} class alone, link() of every row: ${n(figures.buildMs / 1000, 2)} s ` +
        `(CPU with making the rows: ${n(figures.buildCpuMs / 1000, 2)} s)`,
    );
  }
  const http = service.match.latency;
  lines.push(
    '',
    'matching 1,000 hashes (half linked), one request in flight',
    `  HTTP identity/match: p50 ${n(http.p50Ms, 2)} ms, p99 ${n(http.p99Ms, 2)} ms, max ${n(http.maxMs, 2)} ms ` +
      `over ${String(http.samples)} requests, ${String(service.match.wrongAnswers)} wrong answers` +
      `   target p99 ≤ ${String(TARGETS.matchP99Ms)} ms: ` +
      verdict(http.p99Ms <= TARGETS.matchP99Ms && service.match.wrongAnswers === 0),
    `    contact-sync CPU per request: ${n(service.matchCpuMs, 2)} ms (warm-up included); node flags: ` +
      (result.nodeArgs.length === 0 ? 'none' : result.nodeArgs.join(' ')),
  );
  for (const [name, figures] of Object.entries(result.inProcess)) {
    const lookup = figures.lookup;
    lines.push(
      `  ${name}.match() in process: p50 ${n(lookup.p50Ms, 3)} ms, p99 ${n(lookup.p99Ms, 3)} ms ` +
        `over ${String(lookup.samples)} calls`,
    );
  }
  return lines;
}
