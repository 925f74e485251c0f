// The CI pass of the soak: the whole system as built processes under a low mixed load for 60 s, judged by the same
// verdict as `npm run soak` (errors zero, nothing acknowledged lost, a wake-up per offline window, fd counts flat).
import { DEFAULT_OPTIONS, parseOptions } from './options';
import { formatReport } from './report';
import { runSoak, type SoakReport } from './soak';

const CI_ARGS = ['--duration', '60s', '--warmup', '15s', '--sample-interval', '5s', '--scale', '0.4'];

describe('soak (CI pass: 60 s at 40 % of the default rates)', () => {
  let report: SoakReport;

  beforeAll(async () => {
    const options = { ...parseOptions(CI_ARGS), drainTimeoutMs: 30_000, progressIntervalMs: 25_000 };
    report = await runSoak(options, (line) => {
      process.stdout.write(`${line}\n`);
    });
    process.stdout.write(`${formatReport(report)}\n`);
  }, 170_000);

  it('passes the verdict: no error, nothing lost or unexpected, every offline window woken, fds flat', () => {
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('ran every kind of operation, and accounted for every message', () => {
    for (const operation of report.operations) {
      if (operation.name.startsWith('persistent connections')) continue;
      expect({ name: operation.name, succeeded: operation.succeeded > 0 }).toEqual({
        name: operation.name,
        succeeded: true,
      });
    }
    const { totals } = report;
    expect(totals.acked).toBeGreaterThan(2_000);
    expect(totals.delivered).toBeGreaterThanOrEqual(totals.acked);
    expect(totals.lost).toBe(0);
    expect(totals.wakeups).toBeGreaterThan(0);
  });

  it('sampled each service every 5 s after the warm-up, with heap and fds from every one', () => {
    const services = report.trends.filter((trend) => trend.judged);
    expect(services.map((trend) => trend.name)).toEqual([
      'directory',
      'mailbox',
      'push',
      'contact-sync',
      'data-export',
    ]);
    for (const trend of services) {
      expect(trend.samples).toBeGreaterThanOrEqual(10);
      expect(trend.incompleteSamples).toBe(0);
      expect(trend.heapMiB.last).toBeGreaterThan(1);
      expect(trend.fds.floorGrowth).toBeLessThanOrEqual(DEFAULT_OPTIONS.bounds.fdGrowth);
    }
  });
});
