import type { MessageStore } from './ports';

const RECOUNT_AFTER_MS = 30_000;
const RECHECK_FULL_AFTER_MS = 1_000;
/** after a background recount failed, the next try waits this long */
const RETRY_AFTER_MS = 1_000;
const MAX_TRACKED = 100_000;

interface Estimate {
  count: number;
  countedAt: number;
  /** when a message will next start a recount (in the background: it does not wait for it) */
  refreshAt: number;
}

/**
 * 30 s ± 25 %, fixed per receiver (a hash of the ID): receivers first counted together (a burst of logins or a
 * load test starting) are not all recounted in the same moment 30 s later.
 */
function recountInterval(receiver: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < receiver.length; i++) hash = Math.imul(hash ^ receiver.charCodeAt(i), 0x01000193);
  return RECOUNT_AFTER_MS * (0.75 + ((hash >>> 0) % 1001) / 2000);
}

/**
 * The per-receiver queue quota without a count query per message: an estimate per receiver (counted from the
 * database, then raised by every message this instance queues) is recounted about every 30 s, and at once when it
 * reaches the quota. Messages acked meanwhile make the estimate too high, never too low, so the quota is only
 * enforced after an exact count. Only the first count of a receiver and the recount of a full one hold messages
 * up; the periodic recount runs behind them (docs/adr/0028): when 500 receivers counted in the same second all
 * came due together, their messages waited for 500 count queries (bench:mailbox, open loop after the closed loop:
 * a 200–300 ms stall).
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
    if (!estimate) {
      estimate = await this.recount(receiver, now);
    } else if (estimate.count >= this.quota) {
      if (now - estimate.countedAt > RECHECK_FULL_AFTER_MS) estimate = await this.recount(receiver, now);
    } else if (now >= estimate.refreshAt) {
      const stale = estimate;
      this.recount(receiver, now).catch(() => {
        stale.refreshAt = this.now() + RETRY_AFTER_MS; // the estimate stands until a count succeeds
      });
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
    const previous = this.estimates.get(receiver);
    const before = previous?.count ?? 0;
    const counted = this.store
      .count(receiver)
      .then((count) => {
        // messages admitted on the old estimate while the count ran may or may not be in it: count them (too
        // high is the safe side)
        const current = this.estimates.get(receiver);
        const since = current !== undefined && current === previous ? current.count - before : 0;
        const estimate = { count: count + since, countedAt: now, refreshAt: now + recountInterval(receiver) };
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
