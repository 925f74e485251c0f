/**
 * Per-device collapsing of wake-ups (spec push-providers §6.1), in memory: a wake-up caused by a message queued
 * before the device's last accepted push is already covered (the device fetches everything queued when it
 * connects, which it does after that push). At most one push per device is in flight; later wake-ups for the
 * device wait for it and are then checked again. Bounded: the oldest entries are forgotten first, which at worst
 * costs a duplicate wake-up (harmless: the app fetches and finds nothing new).
 */
export class DeviceCollapse {
  private readonly lastAccepted = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly maxEntries = 200_000) {}

  isCovered(deviceKey: string, createdAtMs: number): boolean {
    const accepted = this.lastAccepted.get(deviceKey);
    return accepted !== undefined && createdAtMs <= accepted;
  }

  markAccepted(deviceKey: string, atMs: number): void {
    this.lastAccepted.delete(deviceKey);
    this.lastAccepted.set(deviceKey, atMs);
    if (this.lastAccepted.size > this.maxEntries) {
      const oldest = this.lastAccepted.keys().next();
      if (!oldest.done) this.lastAccepted.delete(oldest.value);
    }
  }

  /** Runs `work` as the device's only in-flight push; callers arriving meanwhile wait for it first. */
  async exclusive<T>(deviceKey: string, work: () => Promise<T>): Promise<T> {
    for (;;) {
      const running = this.inFlight.get(deviceKey);
      if (!running) break;
      await running.catch(() => undefined);
    }
    const promise = work();
    this.inFlight.set(deviceKey, promise);
    try {
      return await promise;
    } finally {
      if (this.inFlight.get(deviceKey) === promise) this.inFlight.delete(deviceKey);
    }
  }

  get size(): number {
    return this.lastAccepted.size;
  }
}
