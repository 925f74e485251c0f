import { SlidingWindowLimiter } from './sliding-window-limiter';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('SlidingWindowLimiter', () => {
  it('allows up to the limit within a window, then refuses with Retry-After', () => {
    const time = clock();
    const limiter = new SlidingWindowLimiter({ limit: 3, windowMs: 60_000 }, 10, time.now);
    expect(limiter.consume('source-a')).toEqual({ allowed: true, remaining: 2 });
    expect(limiter.consume('source-a')).toEqual({ allowed: true, remaining: 1 });
    expect(limiter.consume('source-a')).toEqual({ allowed: true, remaining: 0 });
    const refused = limiter.consume('source-a');
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(120);
    }
  });

  it('keeps keys independent', () => {
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 1_000 }, 10, clock().now);
    expect(limiter.consume('a').allowed).toBe(true);
    expect(limiter.consume('a').allowed).toBe(false);
    expect(limiter.consume('b').allowed).toBe(true);
  });

  it('lets requests through again after the advertised Retry-After', () => {
    const time = clock(0);
    const limiter = new SlidingWindowLimiter({ limit: 10, windowMs: 10_000 }, 10, time.now);
    for (let i = 0; i < 10; i++) expect(limiter.consume('k').allowed).toBe(true);
    time.advance(4_000);
    const refused = limiter.consume('k');
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    time.advance(refused.retryAfterSeconds * 1000 - 1);
    expect(limiter.consume('k').allowed).toBe(false);
    time.advance(1);
    expect(limiter.consume('k').allowed).toBe(true);
  });

  it('smooths the window edge: a full previous window still weighs at the start of the next', () => {
    const time = clock(0);
    const limiter = new SlidingWindowLimiter({ limit: 10, windowMs: 10_000 }, 10, time.now);
    for (let i = 0; i < 10; i++) limiter.consume('k');
    time.advance(10_000); // next window starts: previous weight is still ~100 %
    expect(limiter.consume('k').allowed).toBe(false);
    time.advance(5_000); // half decayed: 5 of 10 available
    for (let i = 0; i < 5; i++) expect(limiter.consume('k').allowed).toBe(true);
    expect(limiter.consume('k').allowed).toBe(false);
  });

  it('forgets everything after two idle windows', () => {
    const time = clock(0);
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1_000 }, 10, time.now);
    limiter.consume('k');
    limiter.consume('k');
    time.advance(2_000);
    expect(limiter.consume('k')).toEqual({ allowed: true, remaining: 1 });
  });

  it('charges a cost (e.g. the number of hashes in one match request)', () => {
    const limiter = new SlidingWindowLimiter({ limit: 100, windowMs: 60_000 }, 10, clock().now);
    expect(limiter.consume('identity', 80)).toEqual({ allowed: true, remaining: 20 });
    expect(limiter.consume('identity', 21).allowed).toBe(false);
    expect(limiter.consume('identity', 20).allowed).toBe(true);
  });

  it('bounds memory by evicting the least recently used key', () => {
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 60_000 }, 3, clock().now);
    for (const key of ['a', 'b', 'c']) limiter.consume(key);
    limiter.consume('a'); // refused, but touches a
    limiter.consume('d'); // evicts b, the least recently used
    expect(limiter.size).toBe(3);
    expect(limiter.consume('b').allowed).toBe(true);
    expect(limiter.consume('a').allowed).toBe(false);
  });

  it('rejects a nonsensical rule at construction', () => {
    expect(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1_000 })).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter({ limit: 5, windowMs: 0 })).toThrow(RangeError);
  });

  it('peeks whether a key is full without counting, and agrees with consume', () => {
    const time = clock(0);
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1_000 }, 10, time.now);
    expect(limiter.peek('k')).toBe(false);
    limiter.consume('k');
    expect(limiter.peek('k')).toBe(false);
    expect(limiter.peek('k')).toBe(false);
    limiter.consume('k');
    expect(limiter.peek('k')).toBe(true);
    expect(limiter.consume('k').allowed).toBe(false);
    time.advance(2_000);
    expect(limiter.peek('k')).toBe(false);
    expect(limiter.consume('k').allowed).toBe(true);
  });
});
