import { QueueQuota } from './queue-quota';

/** A store whose count answers only when the test says so, counting how often it was asked. */
function heldCounts() {
  const asked: string[] = [];
  const answers: ((count: number) => void)[] = [];
  return {
    asked,
    answer: (count: number) => {
      for (const resolve of answers.splice(0)) resolve(count);
    },
    store: {
      count: (receiver: string) => {
        asked.push(receiver);
        return new Promise<number>((resolve) => answers.push(resolve));
      },
    },
  };
}

describe('QueueQuota', () => {
  it('counts a receiver once for a burst of messages that arrive while it is being counted', async () => {
    const counts = heldCounts();
    const quota = new QueueQuota(counts.store, 10, () => 1_000);
    const burst = Array.from({ length: 12 }, () => quota.admits('RECEIVR1'));
    const other = quota.admits('RECEIVR2');
    expect(counts.asked).toEqual(['RECEIVR1', 'RECEIVR2']);
    counts.answer(3);
    // 3 queued: seven more fit, the other five of the burst are refused
    expect(await Promise.all(burst)).toEqual([
      ...Array<boolean>(7).fill(true),
      ...Array<boolean>(5).fill(false),
    ]);
    expect(await other).toBe(true);
    expect(counts.asked).toHaveLength(2);
  });

  it('counts again after 30 s, and at once (after a second) when the estimate says full', async () => {
    let now = 0;
    const counts = heldCounts();
    const quota = new QueueQuota(counts.store, 2, () => now);
    const first = quota.admits('RECEIVR1');
    counts.answer(1);
    expect(await first).toBe(true);
    expect(await quota.admits('RECEIVR1')).toBe(false); // full by the estimate, counted a moment ago
    expect(counts.asked).toHaveLength(1);
    now = 1_500;
    const recheck = quota.admits('RECEIVR1');
    counts.answer(0); // the receiver drained its queue meanwhile
    expect(await recheck).toBe(true);
    expect(counts.asked).toHaveLength(2);
    now = 40_000;
    const stale = quota.admits('RECEIVR1');
    expect(counts.asked).toHaveLength(3);
    counts.answer(0);
    expect(await stale).toBe(true);
  });

  it('a failed count fails the waiting messages (not acked) and the next message counts again', async () => {
    let fail = true;
    const quota = new QueueQuota(
      { count: () => (fail ? Promise.reject(new Error('database down')) : Promise.resolve(0)) },
      5,
    );
    await expect(Promise.all([quota.admits('RECEIVR1'), quota.admits('RECEIVR1')])).rejects.toThrow(
      'database down',
    );
    fail = false;
    expect(await quota.admits('RECEIVR1')).toBe(true);
  });

  it('recounts a stale estimate behind the message: it is admitted without waiting for the count', async () => {
    let now = 0;
    const counts = heldCounts();
    const quota = new QueueQuota(counts.store, 100, () => now);
    const first = quota.admits('RECEIVR1');
    counts.answer(0);
    expect(await first).toBe(true);
    now = 40_000;
    // resolves although the recount it started has no answer yet
    expect(await quota.admits('RECEIVR1')).toBe(true);
    expect(await quota.admits('RECEIVR1')).toBe(true);
    expect(counts.asked).toHaveLength(2); // one recount for both
  });

  it('keeps the messages admitted while a recount ran in the new estimate (too high, never too low)', async () => {
    let now = 0;
    const counts = heldCounts();
    const quota = new QueueQuota(counts.store, 5, () => now);
    const first = quota.admits('RECEIVR1');
    counts.answer(0);
    expect(await first).toBe(true); // estimate 1
    now = 40_000;
    for (let i = 0; i < 3; i++) expect(await quota.admits('RECEIVR1')).toBe(true); // estimate 4, recount running
    counts.answer(1); // the count saw only the first message committed
    await Promise.resolve();
    await Promise.resolve();
    // 1 counted + 3 admitted meanwhile = 4: one more fits
    expect(await quota.admits('RECEIVR1')).toBe(true);
    expect(await quota.admits('RECEIVR1')).toBe(false);
  });

  it('keeps the estimate when a background recount fails, and tries again a second later', async () => {
    let now = 0;
    let fail = false;
    const asked: number[] = [];
    const quota = new QueueQuota(
      {
        count: () => {
          asked.push(now);
          return fail ? Promise.reject(new Error('database down')) : Promise.resolve(0);
        },
      },
      10,
      () => now,
    );
    expect(await quota.admits('RECEIVR1')).toBe(true);
    fail = true;
    now = 40_000;
    expect(await quota.admits('RECEIVR1')).toBe(true); // admitted on the estimate; the recount fails behind it
    await new Promise((resolve) => setImmediate(resolve));
    now = 40_500;
    expect(await quota.admits('RECEIVR1')).toBe(true);
    expect(asked).toEqual([0, 40_000]);
    now = 41_100;
    expect(await quota.admits('RECEIVR1')).toBe(true);
    expect(asked).toEqual([0, 40_000, 41_100]);
  });

  it('spreads the recounts of receivers counted together over 22.5–37.5 s', async () => {
    let now = 0;
    const asked: string[] = [];
    const quota = new QueueQuota(
      {
        count: (receiver) => {
          asked.push(receiver);
          return Promise.resolve(0);
        },
      },
      1_000,
      () => now,
    );
    const receivers = Array.from({ length: 50 }, (_, i) => `RECV${String(i).padStart(4, '0')}`);
    for (const receiver of receivers) await quota.admits(receiver);
    const recountedBy = async (at: number): Promise<number> => {
      now = at;
      asked.length = 0;
      for (const receiver of receivers) await quota.admits(receiver);
      await new Promise((resolve) => setImmediate(resolve));
      return asked.length;
    };
    expect(await recountedBy(22_400)).toBe(0);
    const atThirty = await recountedBy(30_000);
    expect(atThirty).toBeGreaterThan(5);
    expect(atThirty).toBeLessThan(45);
  });
});
