import { TickBatcher } from './tick-batcher';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TickBatcher', () => {
  it('fetches the keys of one event-loop turn together, each key once, in chunks of maxBatch', async () => {
    const fetches: string[][] = [];
    const batcher = new TickBatcher<string, number>(
      (keys) => {
        fetches.push(keys);
        return Promise.resolve(new Map(keys.filter((k) => k !== 'none').map((k) => [k, k.length])));
      },
      2,
      () => -1,
    );
    const answers = Promise.all(['a', 'bb', 'a', 'ccc', 'none'].map((key) => batcher.get(key)));
    expect(fetches).toEqual([]); // nothing goes out before the turn ends
    expect(await answers).toEqual([1, 2, 1, 3, -1]);
    expect(fetches).toEqual([
      ['a', 'bb'],
      ['ccc', 'none'],
    ]);
    // the next turn is a new batch
    expect(await batcher.get('dddd')).toBe(4);
    expect(fetches).toHaveLength(3);
  });

  it('rejects the look-ups of a failed fetch (thrown or rejected) and serves later turns', async () => {
    let failure: 'throw' | 'reject' | undefined = 'throw';
    const batcher = new TickBatcher<string, string>(
      (keys) => {
        if (failure === 'throw') throw new Error('not connected');
        if (failure === 'reject') return Promise.reject(new Error('timeout'));
        return Promise.resolve(new Map(keys.map((k) => [k, k.toUpperCase()])));
      },
      10,
      () => '',
    );
    await expect(Promise.all([batcher.get('a'), batcher.get('b')])).rejects.toThrow('not connected');
    failure = 'reject';
    await expect(batcher.get('a')).rejects.toThrow('timeout');
    failure = undefined;
    await nextTurn();
    expect(await batcher.get('a')).toBe('A');
  });
});
