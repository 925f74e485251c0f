import { formatTable, type StepResult, verdictOf } from './verdict';

const passing: StepResult = {
  step: 1,
  fault: 'nats',
  recoveryFirstMs: 1_200,
  recoveryAllMs: 1_500,
  readyMs: 2_000,
  sent: 100,
  acked: 100,
  delivered: 100,
  lost: 0,
  duplicates: 2,
  wakeUpsExpected: 10,
  wakeUpsLost: 0,
  wakeUpsAccepted: 12,
  pushesSent: 10,
  queueSettled: true,
  streamStorage: 'file',
  durationMs: 10_000,
  verdict: 'PASS',
  problems: [],
};

describe('verdictOf', () => {
  it('passes with zero loss, a settled queue and recovery within the bound (duplicates are allowed)', () => {
    expect(verdictOf(passing, 60_000)).toMatchObject({ verdict: 'PASS', problems: [] });
  });

  it.each([
    [{ lost: 1 }, /1 acknowledged messages not delivered/],
    [{ acked: 98 }, /2 messages never acknowledged/],
    [{ wakeUpsLost: 2 }, /2 wake-ups never reached the device/],
    [{ queueSettled: false }, /left in the JetStream work queue/],
    [{ wakeUpsAccepted: -3 }, /wake-up stream lost its state/],
    [{ streamStorage: 'memory' }, /not file-backed \(memory\)/],
    [{ recoveryAllMs: undefined }, /end-to-end messaging did not recover within 60 s/],
    [{ recoveryAllMs: 61_000 }, /end-to-end messaging did not recover/],
    [{ readyMs: undefined }, /readiness did not recover/],
    [{ acked: 0 }, /no message was acknowledged/],
    [{ wakeUpsExpected: 0 }, /no wake-up was expected/],
  ] as [Partial<StepResult>, RegExp][])('fails on %p', (change, problem) => {
    const judged = verdictOf({ ...passing, ...change }, 60_000);
    expect(judged.verdict).toBe('FAIL');
    expect(judged.problems.join('; ')).toMatch(problem);
  });
});

describe('formatTable', () => {
  it('prints one aligned row per step with times in seconds', () => {
    const table = formatTable([passing, { ...passing, step: 2, readyMs: undefined, verdict: 'FAIL' }]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/step\s+killed\s+first e2e s\s+all e2e s\s+readyz s/);
    expect(lines[1]).toMatch(
      /1\s+nats\s+1\.20\s+1\.50\s+2\.00\s+100\s+100\s+0\s+2\s+10\s+0\s+12\s+10\s+PASS$/,
    );
    expect(lines[2]).toMatch(/—.*FAIL$/);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });
});
