import { LatePasses, type LatePassSession } from './late-passes';

class FakeSession implements LatePassSession {
  isOpen = true;
  resyncs = 0;
  constructor(readonly identity: string) {}
  resync(): void {
    this.resyncs += 1;
  }
}

describe('LatePasses (docs/adr/0029, second addendum)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  function setUp(queued: ReadonlySet<string>) {
    const lookups: string[][] = [];
    const errors: unknown[] = [];
    const passes = new LatePasses<FakeSession>(
      (identities) => {
        lookups.push(identities);
        return Promise.resolve(new Set(identities.filter((id) => queued.has(id))));
      },
      500,
      (error) => errors.push(error),
    );
    return { passes, lookups, errors };
  }

  it('checks a session between one and two periods after login-ack and resyncs only those with messages', async () => {
    const { passes, lookups } = setUp(new Set(['QUEUED01']));
    const empty = new FakeSession('EMPTY001');
    const queued = new FakeSession('QUEUED01');
    passes.add(empty);
    passes.add(queued);
    jest.advanceTimersByTime(999);
    await settle();
    expect(lookups).toEqual([]);
    jest.advanceTimersByTime(1);
    await settle();
    expect(lookups).toEqual([['EMPTY001', 'QUEUED01']]);
    expect(queued.resyncs).toBe(1);
    expect(empty.resyncs).toBe(0);
  });

  it('never checks a session sooner than one period after it was added', async () => {
    const { passes, lookups } = setUp(new Set());
    passes.add(new FakeSession('FIRST001')); // t = 0: the first period begins
    jest.advanceTimersByTime(499);
    passes.add(new FakeSession('LATE0001')); // t = 499: still the first period
    jest.advanceTimersByTime(1);
    passes.add(new FakeSession('NEXT0001')); // t = 500: the second period
    jest.advanceTimersByTime(499);
    await settle();
    expect(lookups).toEqual([]); // t = 999: nothing checked yet
    jest.advanceTimersByTime(1);
    await settle();
    expect(lookups).toEqual([['FIRST001', 'LATE0001']]); // t = 1,000
    jest.advanceTimersByTime(499);
    await settle();
    expect(lookups).toHaveLength(1);
    jest.advanceTimersByTime(1);
    await settle();
    expect(lookups).toEqual([['FIRST001', 'LATE0001'], ['NEXT0001']]); // t = 1,500
  });

  it('leaves out sessions that closed, and looks nothing up when none is left', async () => {
    const { passes, lookups } = setUp(new Set(['GONE0001']));
    const gone = new FakeSession('GONE0001');
    passes.add(gone);
    gone.isOpen = false;
    jest.advanceTimersByTime(2_000);
    await settle();
    expect(lookups).toEqual([]);
    expect(gone.resyncs).toBe(0);
  });

  it('forgets a session removed when it closed', async () => {
    const { passes, lookups } = setUp(new Set(['CLOSED01', 'STAYS001']));
    const closed = new FakeSession('CLOSED01');
    const stays = new FakeSession('STAYS001');
    passes.add(closed);
    passes.add(stays);
    jest.advanceTimersByTime(500);
    passes.remove(closed); // in the period that waits for its check
    jest.advanceTimersByTime(500);
    await settle();
    expect(lookups).toEqual([['STAYS001']]);
    expect(closed.resyncs).toBe(0);
    expect(stays.resyncs).toBe(1);
  });

  it('runs no timer while there is nothing to check', async () => {
    const { passes } = setUp(new Set());
    expect(jest.getTimerCount()).toBe(0);
    passes.add(new FakeSession('ONLY0001'));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(1_000);
    await settle();
    expect(jest.getTimerCount()).toBe(0);
    passes.add(new FakeSession('AGAIN001'));
    expect(jest.getTimerCount()).toBe(1);
    passes.stop();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('reports a failed look-up and carries on with the next period', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const session = new FakeSession('RETRY001');
    const passes = new LatePasses<FakeSession>(
      () => (fail ? Promise.reject(new Error('database away')) : Promise.resolve(new Set(['RETRY002']))),
      500,
      (error) => errors.push(error),
    );
    passes.add(session);
    jest.advanceTimersByTime(1_000);
    await settle();
    expect(errors).toEqual([new Error('database away')]);
    fail = false;
    const next = new FakeSession('RETRY002');
    passes.add(next);
    jest.advanceTimersByTime(1_000);
    await settle();
    expect(next.resyncs).toBe(1);
    expect(session.resyncs).toBe(0);
  });
});
