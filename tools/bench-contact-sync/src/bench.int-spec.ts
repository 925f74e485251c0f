import { runBench } from './bench';
import { formatReport } from './report';

// The bench's whole measuring path on 10,000 linked hashes, so it cannot rot: seeded PostgreSQL, the built
// directory and contact-sync, the inspector memory reading, identity/match over HTTP and the in-process index.
describe('bench:contact-sync on 10,000 linked hashes', () => {
  it('loads every hash, answers every match exactly, and reports each figure against its target', async () => {
    const result = await runBench({
      rows: 10_000,
      querySize: 1000,
      hitRatio: 0.5,
      httpRequests: 40,
      httpWarmup: 5,
      inProcessLookups: 40,
    });
    const { service } = result;
    expect(service.load.entries).toBe(10_000);
    expect(service.load.indexingMs).toBeLessThanOrEqual(service.load.loadMs);
    expect(service.bootToReadyMs).toBeGreaterThan(service.load.loadMs);
    expect(service.match.wrongAnswers).toBe(0);
    expect(service.match.latency.samples).toBe(40);
    expect(service.match.latency.p50Ms).toBeGreaterThan(0);
    expect(service.memoryLoaded.heapUsed).toBeGreaterThan(0);
    // the service figure includes a little noise at this size; the class alone is exact up to its growth steps
    expect(service.bytesPerHash).toBeGreaterThan(20);
    expect(service.bytesPerHash).toBeLessThan(1000);
    const index = result.inProcess.HashIndex;
    expect(index.entries).toBe(10_000);
    expect(index.bytesPerHash).toBeGreaterThan(80);
    expect(index.bytesPerHash).toBeLessThan(200);
    expect(index.lookup.samples).toBe(40);

    const report = formatReport(result).join('\n');
    expect(report).toContain('10,000 linked hashes');
    expect(report).toMatch(/bytes per linked hash {3}target ≤ 200: (met|NOT met)/);
    expect(report).toMatch(/target ≤ 10 s: (met|NOT met)/);
    expect(report).toMatch(/target p99 ≤ 10 ms: (met|NOT met)/);
  }, 120_000);
});
