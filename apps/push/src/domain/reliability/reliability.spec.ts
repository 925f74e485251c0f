import { backoffDelayMs, parseRetryAfter } from './backoff';
import { CircuitBreaker } from './circuit-breaker';

describe('backoff', () => {
  const settings = { baseMs: 1_000, maxMs: 60_000 };

  it('grows exponentially with full jitter and is capped', () => {
    expect(backoffDelayMs(1, settings, undefined, () => 0.999)).toBe(999);
    expect(backoffDelayMs(4, settings, undefined, () => 0.5)).toBe(4_000);
    expect(backoffDelayMs(20, settings, undefined, () => 0.999)).toBe(59_940);
    expect(backoffDelayMs(3, settings, undefined, () => 0)).toBe(0);
  });

  it('honours a longer Retry-After, capped at the maximum', () => {
    expect(backoffDelayMs(1, settings, 30_000, () => 0.5)).toBe(30_000);
    expect(backoffDelayMs(1, settings, 600_000, () => 0.5)).toBe(60_000);
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 5_000)).toBe(5_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('CircuitBreaker', () => {
  it('opens after consecutive failures, lets one probe through when half-open, closes on success', () => {
    let now = 0;
    const changes: boolean[] = [];
    const circuit = new CircuitBreaker(
      { failureThreshold: 3, openMs: 1_000 },
      () => now,
      (open) => changes.push(open),
    );
    circuit.recordFailure();
    circuit.recordFailure();
    expect(circuit.tryAcquire()).toBe(true);
    circuit.recordFailure();
    expect(circuit.state).toBe('open');
    expect(circuit.tryAcquire()).toBe(false);
    now = 1_000;
    expect(circuit.tryAcquire()).toBe(true);
    expect(circuit.tryAcquire()).toBe(false);
    circuit.recordSuccess();
    expect(circuit.state).toBe('closed');
    expect(changes).toEqual([true, false]);
  });

  it('opens at once on a credential failure and ignores neutral answers', () => {
    const circuit = new CircuitBreaker({ failureThreshold: 5, openMs: 1_000 }, () => 0);
    circuit.recordNeutral();
    expect(circuit.state).toBe('closed');
    circuit.recordFailure(true);
    expect(circuit.state).toBe('open');
  });
});
