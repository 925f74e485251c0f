import { runDrill } from './drill';

// The CI pass of `npm run drill:failover`: one drill with a small load (limit: 3 minutes on a loaded 2-core machine).
describe('two-site failover drill', () => {
  it('loses no acknowledged message when site A is killed and B is promoted, and recovers within 30 s', async () => {
    const lines: string[] = [];
    const result = await runDrill({
      clientsPerSite: 3,
      lateReceiversPerSite: 1,
      ratePerClient: 10,
      loadBeforeKillMs: 4_000,
      loadAfterRecoveryMs: 2_000,
      rtoLimitMs: 30_000,
      log: (line) => lines.push(line),
    });
    process.stdout.write(`${lines.join('\n')}\n`);
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    // traffic on both sides of the kill, and every acknowledged message delivered
    expect(result.counts.ackedBeforeKill).toBeGreaterThan(0);
    expect(result.counts.acked).toBeGreaterThan(result.counts.ackedBeforeKill);
    expect(result.counts.lost).toBe(0);
    expect(result.counts.unexpected).toBe(0);
    expect(result.counts.delivered).toBe(result.counts.acked);
    expect(result.rtoMs).toBeLessThan(30_000);
    expect(result.crossSiteOnlineDeliveryMs).toBeDefined();
    expect(result.wakeUpsWhileOnline).toBe(0);
  });
});
