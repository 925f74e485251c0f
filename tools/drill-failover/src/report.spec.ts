import type { DrillResult } from './drill';
import { resultTable } from './report';

const result = (overrides: Partial<DrillResult>): DrillResult => ({
  passed: true,
  failures: [],
  counts: {
    sent: 1200,
    acked: 1200,
    ackedBeforeKill: 700,
    inFlightAtKill: 9,
    delivered: 1200,
    duplicates: 3,
    lost: 0,
    unexpected: 0,
    unacknowledged: 0,
  },
  rtoMs: 2345,
  allClientsBackMs: 3100,
  promotedMs: 400,
  repointedMs: 401,
  killedProcesses: 12,
  crossSiteOnlineDeliveryMs: 4,
  offlineWakeUpMs: 12,
  wakeUpsWhileOnline: 0,
  jetStreamAtB: 'ok',
  setupMs: 20_000,
  totalMs: 41_000,
  ...overrides,
});

describe('resultTable', () => {
  it('prints one aligned row per run with the verdict and figures', () => {
    const table = resultTable([
      result({}),
      result({ passed: false, rtoMs: undefined, counts: { ...result({}).counts, lost: 2 } }),
    ]);
    const [header, first, second] = table.split('\n');
    expect(header).toMatch(/run\s+verdict\s+sent/);
    expect(first).toMatch(
      /^\s*1\s+PASS\s+1200\s+1200\s+700\s+9\s+1200\s+3\s+0\s+0\s+0\s+2\.35\s+3\.10\s+0\.40\s+41\.00$/,
    );
    expect(second).toMatch(/^\s*2\s+FAIL\s.*\s2\s+0\s+0\s+—\s/);
    expect(first.length).toBe(header.length);
  });
});
