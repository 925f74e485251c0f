export type ReadinessCheck = () => Promise<void>;

/**
 * A dependency in a state it is expected to pass through while the service starts or reconnects (not connected yet,
 * not loaded yet, did not answer in time). The log gives its message alone: its stack says nothing an operator can
 * use. Any other error a check throws is unexpected (a database failure) and is logged with its stack.
 */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, 'up' | 'down'>>;
}

/**
 * Dependencies register a check (NATS connection, database, gRPC peers). `/readyz` is green only when every
 * check passes within its deadline. Failure details go to the log, not to the HTTP answer.
 */
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  constructor(private readonly timeoutMs = 2_000) {}

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Once shutdown begins, report not-ready so load balancers stop sending new work. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async evaluate(onFailure?: (name: string, error: unknown) => void): Promise<ReadinessReport> {
    const entries = [...this.checks.entries()];
    const results = await Promise.all(
      entries.map(async ([name, check]) => {
        try {
          await withTimeout(check(), this.timeoutMs, `${name} readiness check timed out`);
          return [name, 'up'] as const;
        } catch (error) {
          onFailure?.(name, error);
          return [name, 'down'] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    return { ready: !this.shuttingDown && results.every(([, state]) => state === 'up'), checks };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new NotReadyError(message));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
