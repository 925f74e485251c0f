import type { MessageStore } from './ports';

const RECOUNT_AFTER_MS = 30_000;
const RECHECK_FULL_AFTER_MS = 1_000;
const MAX_TRACKED = 100_000;

interface Estimate {
  count: number;
  countedAt: number;
}

/**
 * The per-receiver queue quota without a count query per message: an estimate per receiver (counted from the
 * database, then raised by every message this instance queues) is recounted every 30 s, and at once when it
 * reaches the quota. Messages acked meanwhile make the estimate too high, never too low, so the quota is only
 * enforced after an exact count.
 */
export class QueueQuota {
  private readonly estimates = new Map<string, Estimate>();
  /** counts under way: messages for a receiver that arrive while its queue is counted wait for that count */
  private readonly counting = new Map<string, Promise<Estimate>>();

  constructor(
    private readonly store: Pick<MessageStore, 'count'>,
    private readonly quota: number,
    private readonly now: () => number = Date.now,
  ) {}

  async admits(receiver: string): Promise<boolean> {
    const now = this.now();
    let estimate = this.estimates.get(receiver);
    if (!estimate || now - estimate.countedAt > RECOUNT_AFTER_MS) {
      estimate = await this.recount(receiver, now);
    } else if (estimate.count >= this.quota && now - estimate.countedAt > RECHECK_FULL_AFTER_MS) {
      estimate = await this.recount(receiver, now);
    }
    if (estimate.count >= this.quota) return false;
    estimate.count += 1;
    return true;
  }

  private recount(receiver: string, now: number): Promise<Estimate> {
    // one count per receiver at a time: a burst to a receiver not yet counted was one count query per message
    // (bench:mailbox offline: 10,000 counts for 20,000 messages to 200 receivers)
    const running = this.counting.get(receiver);
    if (running) return running;
    const counted = this.store
      .count(receiver)
      .then((count) => {
        const estimate = { count, countedAt: now };
        if (this.estimates.size >= MAX_TRACKED && !this.estimates.has(receiver)) {
          const oldest = this.estimates.keys().next();
          if (!oldest.done) this.estimates.delete(oldest.value);
        }
        this.estimates.set(receiver, estimate);
        return estimate;
      })
      .finally(() => {
        this.counting.delete(receiver);
      });
    this.counting.set(receiver, counted);
    return counted;
  }
}
