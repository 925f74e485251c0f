// `npm run drill:faults [options]`: the fault-injection drill of issue 9 on real processes (docs/operations/
// resilience/drill-faults.md). Prints one row per step and exits 1 when a property fails.
import { findWorkspaceRoot } from '@ots/db-tools';

import { runDrill } from './drill';
import { parseOptions } from './options';
import { formatTable } from './verdict';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 64;
  }
  const started = Date.now();
  const report = await runDrill(findWorkspaceRoot(), { ...options, log });
  log('\n== drill:faults (one site: PostgreSQL fsync on, NATS JetStream file store, 2 mailboxes) ==');
  log(formatTable(report.steps));
  for (const step of report.steps.filter((s) => s.problems.length > 0))
    log(`step ${String(step.step)} (${step.fault}): ${step.problems.join('; ')}`);
  const t = report.total;
  log(
    `whole run: sent ${String(t.sent)}, acked ${String(t.acked)}, delivered ${String(t.delivered)}, lost ${String(t.lost)}, ` +
      `duplicates ${String(t.duplicates)} (at-least-once, dropped by message ID), delivered without ack ${String(t.deliveredUnacked)}, ` +
      `unexpected ${String(report.unexpectedDeliveries)}; ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  log(report.passed ? 'PASS' : 'FAIL');
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
