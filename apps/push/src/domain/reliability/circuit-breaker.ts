export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitSettings {
  /** consecutive provider-health failures that open the circuit */
  readonly failureThreshold: number;
  /** how long it stays open before one probe is let through */
  readonly openMs: number;
}

/**
 * One per provider (spec push-providers §6.1): consecutive timeouts, connection errors and 5xx open it, a
 * credential error opens it at once; per-token answers (gone, per-device throttling) never count. While open,
 * requests fail fast so that a hanging provider never ties up the wake-ups of the others. After `openMs` one
 * probe goes through (half-open); its success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probing = false;

  constructor(
    private readonly settings: CircuitSettings,
    private readonly now: () => number = Date.now,
    private readonly onChange: (open: boolean) => void = () => undefined,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.settings.openMs ? 'half-open' : 'open';
  }

  /** Whether a request may go out now; in half-open state only one probe at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** ms until a probe may go out (0 when closed). */
  get retryInMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.openedAt + this.settings.openMs - this.now());
  }

  recordSuccess(): void {
    this.probing = false;
    this.failures = 0;
    if (this.openedAt !== undefined) {
      this.openedAt = undefined;
      this.onChange(false);
    }
  }

  recordFailure(immediate = false): void {
    this.probing = false;
    this.failures++;
    if (immediate || this.failures >= this.settings.failureThreshold || this.openedAt !== undefined) {
      const wasOpen = this.openedAt !== undefined;
      this.openedAt = this.now();
      if (!wasOpen) this.onChange(true);
    }
  }

  /** A request that ended without saying anything about the provider's health (e.g. the token was gone). */
  recordNeutral(): void {
    this.probing = false;
  }
}
