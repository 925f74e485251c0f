interface Waiter<V> {
  readonly resolve: (value: V) => void;
  readonly reject: (error: unknown) => void;
}

export interface TickBatcherOptions {
  /**
   * At most this many fetches under way at once (default: no limit). Keys asked while the limit is reached wait
   * for the next fetch to finish and then go out together: under load the batches grow with the round trip, so
   * the cost per key falls as the rate rises (like a group commit), while a lone look-up still leaves at once.
   */
  readonly maxInFlight?: number;
  /**
   * Wait this long after the first key of a batch before sending it (default 0: the end of the turn), so that
   * keys asked at a high rate but in different turns go out together. For look-ups that may wait a little.
   */
  readonly lingerMs?: number;
}

/**
 * Look-ups by key that arrive within one turn of the event loop go out together: one `fetch` (one round trip)
 * per `maxBatch` distinct keys, however many connections asked. A key asked twice in a turn is fetched once. A key
 * the fetch does not return resolves to `whenMissing(key)`; a failed fetch rejects every look-up it carried.
 */
export class TickBatcher<K, V> {
  private waiting = new Map<K, Waiter<V>[]>();
  private scheduled = false;
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly lingerMs: number;

  constructor(
    private readonly fetch: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
    private readonly maxBatch: number,
    private readonly whenMissing: (key: K) => V,
    options: TickBatcherOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? Number.POSITIVE_INFINITY;
    this.lingerMs = options.lingerMs ?? 0;
    if (!(this.maxInFlight >= 1)) throw new RangeError('maxInFlight must be at least 1');
    if (!(this.lingerMs >= 0)) throw new RangeError('lingerMs must not be negative');
  }

  get(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const waiters = this.waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      if (!this.scheduled && this.inFlight < this.maxInFlight) {
        this.scheduled = true;
        const flushNow = (): void => {
          this.scheduled = false;
          this.flush();
        };
        if (this.lingerMs > 0) setTimeout(flushNow, this.lingerMs);
        else setImmediate(flushNow);
      }
    });
  }

  private flush(): void {
    while (this.waiting.size > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.take();
      this.inFlight += 1;
      let fetched: Promise<ReadonlyMap<K, V>>;
      try {
        fetched = this.fetch([...batch.keys()]);
      } catch (error) {
        fetched = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      fetched.then(
        (values) => {
          this.settled();
          for (const [key, waiters] of batch) {
            const value = values.get(key) ?? this.whenMissing(key);
            for (const waiter of waiters) waiter.resolve(value);
          }
        },
        (error: unknown) => {
          this.settled();
          for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
        },
      );
    }
  }

  /** Up to maxBatch waiting keys (the oldest first), taken out of the waiting set. */
  private take(): Map<K, Waiter<V>[]> {
    if (this.waiting.size <= this.maxBatch) {
      const all = this.waiting;
      this.waiting = new Map();
      return all;
    }
    const batch = new Map<K, Waiter<V>[]>();
    for (const [key, waiters] of this.waiting) {
      if (batch.size === this.maxBatch) break;
      batch.set(key, waiters);
    }
    for (const key of batch.keys()) this.waiting.delete(key);
    return batch;
  }

  /** A fetch finished: what waited for a free slot goes out now. */
  private settled(): void {
    this.inFlight -= 1;
    if (!this.scheduled) this.flush();
  }
}
