import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

export interface WaitForOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  description?: string;
  /** Stop waiting early, e.g. when the awaited process has exited. */
  signal?: AbortSignal;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Thrown when waitFor gives up; carries the predicate's last error, which usually tells why. */
export class WaitForTimeoutError extends Error {
  constructor(
    message: string,
    readonly lastError: unknown,
  ) {
    super(message);
    this.name = 'WaitForTimeoutError';
  }
}

/**
 * Polls `predicate` until it returns a truthy value and resolves with that value. A predicate that throws counts as
 * "not yet" (a refused connection while a server starts). Each attempt should bound its own duration.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Truthy<T>> {
  const { timeoutMs = 5000, intervalMs = 50, description = 'condition', signal } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await predicate();
      if (value) return value as Truthy<T>;
    } catch (error) {
      lastError = error;
    }
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) {
      const cause = lastError === undefined ? '' : `; last error: ${describe(lastError)}`;
      throw new WaitForTimeoutError(
        `timed out after ${timeoutMs} ms waiting for ${description}${cause}`,
        lastError,
      );
    }
    try {
      await sleep(Math.min(intervalMs, remainingMs), undefined, signal ? { signal } : undefined);
    } catch (error) {
      // an aborted sleep rejects with a generic AbortError; the signal's reason says what happened
      signal?.throwIfAborted();
      throw error;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? String(error) : inspect(error);
}
