interface Waiter<V> {
  readonly resolve: (value: V) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Look-ups by key that arrive within one turn of the event loop go out together: one `fetch` (one round trip)
 * per `maxBatch` distinct keys, however many connections asked. A key asked twice in a turn is fetched once. A key
 * the fetch does not return resolves to `whenMissing(key)`; a failed fetch rejects every look-up it carried.
 */
export class TickBatcher<K, V> {
  private waiting = new Map<K, Waiter<V>[]>();
  private scheduled = false;

  constructor(
    private readonly fetch: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
    private readonly maxBatch: number,
    private readonly whenMissing: (key: K) => V,
  ) {}

  get(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const waiters = this.waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = new Map();
    const keys = [...batch.keys()];
    for (let start = 0; start < keys.length; start += this.maxBatch) {
      const chunk = keys.slice(start, start + this.maxBatch);
      let fetched: Promise<ReadonlyMap<K, V>>;
      try {
        fetched = this.fetch(chunk);
      } catch (error) {
        fetched = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      fetched.then(
        (values) => {
          for (const key of chunk)
            for (const waiter of batch.get(key) ?? [])
              waiter.resolve(values.get(key) ?? this.whenMissing(key));
        },
        (error: unknown) => {
          for (const key of chunk) for (const waiter of batch.get(key) ?? []) waiter.reject(error);
        },
      );
    }
  }
}
