// `npm run drill:failover`: the two-site failover drill, 3 runs in a row by default, with a table of figures.
// Exits 1 when any run loses an acknowledged message, delivers something never sent, or recovers too slowly.
import { type DrillResult, runDrill } from './drill';
import { parseOptions } from './options';
import { resultTable } from './report';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  log(
    `failover drill: ${String(options.runs)} runs, ${String(options.clientsPerSite)} clients per site, ${String(options.ratePerClient)} msgs/s per client, kill after ${String(options.loadBeforeKillS)} s of load, RTO limit ${String(options.rtoLimitS)} s`,
  );
  const results: DrillResult[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    log(`run ${String(run)}:`);
    const result = await runDrill({
      clientsPerSite: options.clientsPerSite,
      ratePerClient: options.ratePerClient,
      lateReceiversPerSite: options.lateReceiversPerSite,
      withoutReplication: options.controlWithoutReplication,
      silentSiteLoss: options.silentSiteLoss,
      loadBeforeKillMs: options.loadBeforeKillS * 1000,
      loadAfterRecoveryMs: options.loadAfterRecoveryS * 1000,
      rtoLimitMs: options.rtoLimitS * 1000,
      log,
    });
    results.push(result);
    log(
      `  ${result.passed ? 'PASS' : 'FAIL'}${result.failures.map((failure) => `\n  - ${failure}`).join('')}`,
    );
  }
  log(`\n${resultTable(results)}`);
  const passed = results.filter((result) => result.passed).length;
  log(`\n${String(passed)} of ${String(results.length)} runs passed`);
  return passed === results.length ? 0 : 1;
}

main().then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
