interface Pending<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  readonly maxBatch: number;
  /** batches in flight at once (each on its own database connection) */
  readonly concurrency: number;
  /** observe each batch (size, duration) */
  readonly onBatch?: (size: number, durationMs: number) => void;
}

/**
 * Group commit (architecture message path step 2): items written while a batch is being committed wait and go
 * together in the next one, so one commit (one disk sync) carries the messages of many connections. Each write
 * resolves only when its batch committed, and rejects when it failed.
 */
export class GroupCommitter<T> {
  private queue: Pending<T>[] = [];
  private running = 0;

  constructor(
    private readonly commit: (items: T[]) => Promise<unknown>,
    private readonly options: GroupCommitOptions,
  ) {}

  write(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.kick();
    });
  }

  /** Items waiting for a batch (a gauge, and what shutdown waits for). */
  get backlog(): number {
    return this.queue.length + this.running;
  }

  private kick(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const batch =
        this.queue.length <= this.options.maxBatch ? this.queue : this.queue.slice(0, this.options.maxBatch);
      this.queue = batch === this.queue ? [] : this.queue.slice(this.options.maxBatch);
      this.running += 1;
      void this.run(batch);
    }
  }

  private async run(batch: Pending<T>[]): Promise<void> {
    const started = performance.now();
    try {
      await this.commit(batch.map((pending) => pending.item));
      this.options.onBatch?.(batch.length, performance.now() - started);
      for (const pending of batch) pending.resolve();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.running -= 1;
      this.kick();
    }
  }
}
