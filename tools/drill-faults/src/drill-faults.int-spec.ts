import { findWorkspaceRoot } from '@ots/db-tools';

import { runDrill } from './drill';
import { CI_RUN } from './options';
import { formatTable } from './verdict';

/**
 * The CI pass of `npm run drill:faults`: one site of real processes (durable PostgreSQL, NATS with a JetStream
 * file store, push fakes, directory, push, two mailboxes) with a small load; mailbox, push, directory, NATS and
 * PostgreSQL are SIGKILLed and restarted in turn. Fails on any lost acknowledged message or wake-up, or when the
 * site does not recover by itself within 60 s. Budget: 4 minutes on a loaded 2-core machine.
 */
describe('drill:faults (CI pass)', () => {
  it('loses no acknowledged message and no queued wake-up, and recovers from every kill', async () => {
    const lines: string[] = [];
    const report = await runDrill(findWorkspaceRoot(__dirname), {
      ...CI_RUN,
      log: (line) => lines.push(line),
    });
    const table = formatTable(report.steps);
    process.stdout.write(`${lines.join('\n')}\n${table}\n`);

    expect(report.steps.map((step) => step.fault)).toEqual([
      'baseline',
      'mailbox',
      'push',
      'directory',
      'nats',
      'postgres',
    ]);
    expect(report.steps.map((step) => `${step.fault}: ${step.problems.join('; ') || 'ok'}`)).toEqual(
      report.steps.map((step) => `${step.fault}: ok`),
    );
    expect(report.total.lost).toBe(0);
    expect(report.unexpectedDeliveries).toBe(0);
    expect(report.passed).toBe(true);
  }, 240_000);
});
