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

  describe('with maxInFlight or lingerMs', () => {
    interface Call {
      readonly keys: string[];
      readonly answer: (values?: Map<string, string>) => void;
      readonly fail: (error: Error) => void;
    }

    function setUp(maxInFlight: number, maxBatch = 10) {
      const calls: Call[] = [];
      const batcher = new TickBatcher<string, string>(
        (keys) =>
          new Promise((resolve, reject) => {
            calls.push({
              keys,
              answer: (values) => {
                resolve(values ?? new Map(keys.map((k) => [k, k.toUpperCase()])));
              },
              fail: reject,
            });
          }),
        maxBatch,
        () => '?',
        { maxInFlight },
      );
      return { calls, batcher };
    }

    it('sends a lone look-up at once and holds later ones until a fetch finishes, then sends them together', async () => {
      const { calls, batcher } = setUp(1);
      const first = batcher.get('a');
      await nextTurn();
      expect(calls.map((c) => c.keys)).toEqual([['a']]);
      const later = ['b', 'c'].map((key) => batcher.get(key));
      await nextTurn();
      const more = batcher.get('d');
      await nextTurn();
      expect(calls).toHaveLength(1); // the limit is reached: b, c and d wait
      calls[0].answer();
      expect(await first).toBe('A');
      expect(calls.map((c) => c.keys)).toEqual([['a'], ['b', 'c', 'd']]);
      calls[1].answer();
      expect(await Promise.all([...later, more])).toEqual(['B', 'C', 'D']);
    });

    it('keeps up to maxInFlight fetches under way and splits what waited into maxBatch chunks', async () => {
      const { calls, batcher } = setUp(2, 2);
      const answers = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((key) => batcher.get(key));
      await nextTurn();
      expect(calls.map((c) => c.keys)).toEqual([
        ['a', 'b'],
        ['c', 'd'],
      ]);
      calls[1].answer();
      await nextTurn();
      expect(calls.map((c) => c.keys)).toEqual([
        ['a', 'b'],
        ['c', 'd'],
        ['e', 'f'],
      ]);
      calls[0].answer();
      calls[2].answer();
      await nextTurn();
      expect(calls.map((c) => c.keys)).toHaveLength(4);
      calls[3].answer();
      expect(await Promise.all(answers)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    });

    it('frees the slot of a failed fetch: its look-ups are rejected, the waiting ones still go out', async () => {
      const { calls, batcher } = setUp(1);
      const failing = batcher.get('a');
      await nextTurn();
      const waiting = batcher.get('b');
      await nextTurn();
      calls[0].fail(new Error('deadline exceeded'));
      await expect(failing).rejects.toThrow('deadline exceeded');
      expect(calls.map((c) => c.keys)).toEqual([['a'], ['b']]);
      calls[1].answer(new Map());
      expect(await waiting).toBe('?');
    });

    it('with lingerMs, waits that long after the first key and sends what came meanwhile together', async () => {
      jest.useFakeTimers();
      try {
        const fetches: string[][] = [];
        const batcher = new TickBatcher<string, string>(
          (keys) => {
            fetches.push(keys);
            return Promise.resolve(new Map(keys.map((k) => [k, k.toUpperCase()])));
          },
          10,
          () => '?',
          { lingerMs: 3 },
        );
        const answers = [batcher.get('a')];
        jest.advanceTimersByTime(2);
        answers.push(batcher.get('b'));
        jest.advanceTimersByTime(0);
        expect(fetches).toEqual([]);
        jest.advanceTimersByTime(1);
        expect(fetches).toEqual([['a', 'b']]);
        expect(await Promise.all(answers)).toEqual(['A', 'B']);
      } finally {
        jest.useRealTimers();
      }
    });

    it('rejects a limit below one', () => {
      expect(
        () =>
          new TickBatcher(
            () => Promise.resolve(new Map()),
            1,
            () => 0,
            { maxInFlight: 0 },
          ),
      ).toThrow(RangeError);
    });
  });
});
