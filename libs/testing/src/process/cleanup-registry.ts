export interface CleanupTarget {
  readonly description: string;
  /** Graceful stop, used on SIGINT/SIGTERM. */
  stop(): Promise<void>;
  /** Synchronous last resort, used on process 'exit' where nothing asynchronous runs. */
  killNow(): void;
}

type HookEvent = 'exit' | 'SIGINT' | 'SIGTERM';

/** The part of `process` the registry hooks into; unit tests pass a fake. */
export interface ProcessHooks {
  readonly pid: number;
  on(event: HookEvent, listener: () => void): unknown;
  off(event: HookEvent, listener: () => void): unknown;
  listenerCount(event: HookEvent): number;
  kill(pid: number, signal: NodeJS.Signals): unknown;
}

/**
 * Started servers, stopped when the process exits or is interrupted, so a broken or aborted run leaves no
 * postgres or nats-server behind. Hooks are installed only while something is tracked.
 */
export class CleanupRegistry {
  private readonly targets = new Set<CleanupTarget>();
  private exitHooked = false;
  private signalsHooked = false;
  private readonly onExit = (): void => {
    this.killAllNow();
  };
  private readonly onSigint = (): void => {
    void this.stopAllAndReraise('SIGINT');
  };
  private readonly onSigterm = (): void => {
    void this.stopAllAndReraise('SIGTERM');
  };

  constructor(
    private readonly hooks: ProcessHooks,
    private readonly signalStopTimeoutMs = 10_000,
  ) {}

  /** Tracks `target` until the returned function is called (after a successful stop). */
  track(target: CleanupTarget): () => void {
    this.targets.add(target);
    this.install();
    return () => {
      this.targets.delete(target);
      if (this.targets.size === 0) this.uninstall();
    };
  }

  get size(): number {
    return this.targets.size;
  }

  /** Stops everything still tracked, e.g. from an afterAll that must not leak. */
  async stopAll(): Promise<void> {
    const results = await Promise.allSettled([...this.targets].map((target) => target.stop()));
    const failures = results.filter((result) => result.status === 'rejected');
    if (failures.length > 0)
      throw new AggregateError(
        failures.map((failure): unknown => failure.reason),
        'cleanup failed',
      );
  }

  private killAllNow(): void {
    for (const target of this.targets) {
      try {
        target.killNow();
      } catch {
        // keep going: the other targets still need their kill
      }
    }
  }

  private async stopAllAndReraise(signal: 'SIGINT' | 'SIGTERM'): Promise<void> {
    // our signal listeners go first, so the re-raised signal gets the default action (or the other listeners)
    this.unhookSignals();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.signalStopTimeoutMs);
    });
    await Promise.race([this.stopAll().catch(() => undefined), timeout]);
    clearTimeout(timer);
    this.killAllNow();
    if (this.hooks.listenerCount(signal) === 0) this.hooks.kill(this.hooks.pid, signal);
  }

  private install(): void {
    if (!this.exitHooked) {
      this.exitHooked = true;
      this.hooks.on('exit', this.onExit);
    }
    if (!this.signalsHooked) {
      this.signalsHooked = true;
      this.hooks.on('SIGINT', this.onSigint);
      this.hooks.on('SIGTERM', this.onSigterm);
    }
  }

  private uninstall(): void {
    if (this.exitHooked) {
      this.exitHooked = false;
      this.hooks.off('exit', this.onExit);
    }
    this.unhookSignals();
  }

  private unhookSignals(): void {
    if (!this.signalsHooked) return;
    this.signalsHooked = false;
    this.hooks.off('SIGINT', this.onSigint);
    this.hooks.off('SIGTERM', this.onSigterm);
  }
}

/**
 * The registry of this process. Inside a Jest test file `process` is Jest's sandbox copy whose hooks never fire;
 * there the watchdog (see watchdog.ts) is what cleans up after an interrupted run.
 */
export const cleanupRegistry = new CleanupRegistry(process);
