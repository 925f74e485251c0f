/** What a late pass needs of a session. */
export interface LatePassSession {
  readonly identity: string;
  readonly isOpen: boolean;
  /** read the queue once more (an ordinary pass: what is in flight or acknowledged is skipped) */
  resync(): void;
}

/**
 * docs/adr/0029, second addendum: every session is checked for queued messages once, between `delayMs` and twice
 * that after its login-ack, and reads its queue again if it has any. A login's subscription is confirmed by its own
 * NATS server; the cluster's other servers and the other site learn of it a moment later, and a live signal
 * published there meanwhile finds no one. Sessions are checked in batches (one look-up for all the sessions of a
 * period, which returns only the few identities with messages), so a session costs a set entry rather than a
 * timer and a read of its own. A session that closes leaves at once: nothing here keeps a dead connection alive.
 */
export class LatePasses<S extends LatePassSession> {
  /** started in the current period, and in the one before (checked when the current one ends) */
  private current = new Set<S>();
  private previous = new Set<S>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** the identities among these that have queued messages */
    private readonly withQueuedMessages: (identities: string[]) => Promise<ReadonlySet<string>>,
    private readonly delayMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A session that has sent login-ack. */
  add(session: S): void {
    this.current.add(session);
    if (!this.timer) {
      this.timer = setInterval(() => {
        this.endPeriod();
      }, this.delayMs);
      this.timer.unref();
    }
  }

  /** A session that closed (before its check, or after: then this does nothing). */
  remove(session: S): void {
    if (!this.current.delete(session)) this.previous.delete(session);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.current.clear();
    this.previous.clear();
  }

  private endPeriod(): void {
    const due = [...this.previous].filter((session) => session.isOpen);
    this.previous = this.current;
    this.current = new Set();
    if (this.previous.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (due.length > 0) void this.check(due);
  }

  private async check(sessions: S[]): Promise<void> {
    try {
      const queued = await this.withQueuedMessages(sessions.map((session) => session.identity));
      if (queued.size === 0) return;
      for (const session of sessions) if (queued.has(session.identity)) session.resync();
    } catch (error) {
      // a safety net only: the next message, a NATS reconnect or the next login still find what is queued
      this.onError(error);
    }
  }
}
