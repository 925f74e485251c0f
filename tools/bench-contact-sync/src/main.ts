// `npm run bench:contact-sync`: contact-sync's index with 1,000,000 linked hashes (issue 6, acceptance 4):
// memory per linked hash, load time through the real path, and identity/match latency for 1,000 hashes.
import { cpus, loadavg } from 'node:os';

import { MapHashIndex } from './baseline/map-hash-index';
import { runBench } from './bench';
import { formatReport } from './report';

const rows = Number(process.env.BENCH_LINKED_HASHES ?? 1_000_000);

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(
    `bench:contact-sync — ${String(cpus().length)} CPUs (shared with other work: figures vary between runs)`,
  );
  const result = await runBench({
    rows,
    querySize: 1000,
    hitRatio: 0.5,
    httpRequests: Number(process.env.BENCH_MATCH_REQUESTS ?? 2000),
    httpWarmup: 200,
    inProcessLookups: 2000,
    // the index before docs/adr/0025, measured the same way in the same run
    compareWith: { 'MapHashIndex (before)': () => new MapHashIndex() },
    log,
  });
  log('');
  for (const line of formatReport(result)) log(line);
  log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${String(cpus().length)} CPUs`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:contact-sync failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
