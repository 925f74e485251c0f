/**
 * In-memory rate limiting (architecture: counters never leave the process, so source addresses and identities
 * used as keys are never stored). A sliding window approximated from two fixed windows: cheap, smooth at window
 * edges, and O(1) memory per key. The number of tracked keys is bounded; the least recently used key is evicted.
 */
export interface RateLimitRule {
  /** requests allowed per window */
  readonly limit: number;
  readonly windowMs: number;
}

export type RateLimitDecision =
  | { readonly allowed: true; readonly remaining: number }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

interface WindowState {
  windowStart: number;
  current: number;
  previous: number;
}

export class SlidingWindowLimiter {
  private readonly windows = new Map<string, WindowState>();

  constructor(
    private readonly rule: RateLimitRule,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(rule.limit) || rule.limit < 1)
      throw new RangeError('limit must be a positive integer');
    if (!(rule.windowMs > 0)) throw new RangeError('windowMs must be positive');
  }

  /** Counts `cost` units for `key` if they fit; otherwise says how long to wait (for a Retry-After header). */
  consume(key: string, cost = 1): RateLimitDecision {
    const now = this.now();
    const state = this.touch(key, now);
    const elapsedFraction = (now - state.windowStart) / this.rule.windowMs;
    const weighted = state.previous * (1 - elapsedFraction) + state.current;
    if (weighted + cost > this.rule.limit) {
      return { allowed: false, retryAfterSeconds: this.retryAfterSeconds(state, now, cost) };
    }
    state.current += cost;
    return { allowed: true, remaining: Math.max(0, Math.floor(this.rule.limit - weighted - cost)) };
  }

  /** True when the key's window is already full (one more unit would be refused), without counting anything. */
  peek(key: string): boolean {
    const state = this.windows.get(key);
    if (!state) return false;
    const now = this.now();
    const windowStart = now - (now % this.rule.windowMs);
    const windowsPassed = (windowStart - state.windowStart) / this.rule.windowMs;
    if (windowsPassed >= 2) return false;
    const previous = windowsPassed === 1 ? state.current : state.previous;
    const current = windowsPassed === 1 ? 0 : state.current;
    const weighted = previous * (1 - (now - windowStart) / this.rule.windowMs) + current;
    return weighted + 1 > this.rule.limit;
  }

  /** Number of keys currently tracked (for tests and a gauge). */
  get size(): number {
    return this.windows.size;
  }

  private touch(key: string, now: number): WindowState {
    const windowStart = now - (now % this.rule.windowMs);
    let state = this.windows.get(key);
    if (state) {
      this.windows.delete(key); // re-inserted below: Map order is our LRU order
      if (windowStart !== state.windowStart) {
        const windowsPassed = (windowStart - state.windowStart) / this.rule.windowMs;
        state = { windowStart, previous: windowsPassed === 1 ? state.current : 0, current: 0 };
      }
    } else {
      state = { windowStart, previous: 0, current: 0 };
      if (this.windows.size >= this.maxKeys) {
        const oldest = this.windows.keys().next();
        if (!oldest.done) this.windows.delete(oldest.value);
      }
    }
    this.windows.set(key, state);
    return state;
  }

  /** Smallest whole number of seconds after which `cost` fits again (at least 1). */
  private retryAfterSeconds(state: WindowState, now: number, cost: number): number {
    const { limit, windowMs } = this.rule;
    const windowEnd = state.windowStart + windowMs;
    if (state.current + cost > limit) {
      // even with the previous window fully decayed this window is full: wait for the next one, where the
      // current count becomes the previous weight
      const needed = Math.max(0, (state.current + cost - limit) / Math.max(state.current, 1));
      return Math.max(1, Math.ceil((windowEnd - now + needed * windowMs) / 1000));
    }
    // the previous window's weight must decay until previous * (1 - f) <= limit - current - cost
    const allowedPrevious = limit - state.current - cost;
    const fractionNeeded = state.previous > 0 ? 1 - allowedPrevious / state.previous : 0;
    const waitMs = state.windowStart + fractionNeeded * windowMs - now;
    return Math.max(1, Math.ceil(waitMs / 1000));
  }
}
