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
});
