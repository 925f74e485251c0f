import { pushWakeupSubject, pushWakeupV1 } from '@ots/contracts';

import type { WakeUpPublisher, WakeUpRequest } from '../domain/ports';

export interface WakeUpRetrySettings {
  /** how often wake-ups that JetStream did not accept are published again */
  readonly retryIntervalMs: number;
  /** receivers whose wake-up waits for a retry; beyond this, new failures are dropped (bounded memory) */
  readonly maxWaiting: number;
}

export type WakeUpOutcome = 'queued' | 'failed' | 'dropped';

/**
 * Wake-ups for offline receivers (architecture step 5) onto the JetStream work queue: one subject per receiver
 * holding at most one message, so repeated wake-ups collapse. Published off the ack path. A wake-up JetStream did
 * not accept (NATS down or restarting) is kept — the newest per receiver, as the stream would — and published
 * again every retry interval until it is accepted or expires (docs/adr/0022): a receiver with queued messages
 * and no push would not learn of them.
 */
export class JetStreamWakeUpPublisher implements WakeUpPublisher {
  private readonly waiting = new Map<string, WakeUpRequest>();
  /**
   * Receivers with a publish under way, and the newest wake-up that came for them meanwhile: it goes out when
   * the one under way is done. The stream keeps one message per receiver anyway; a burst to an offline receiver
   * was one JetStream publish (and stored message) per message (docs/adr/0028).
   */
  private readonly publishing = new Set<string>();
  private readonly next = new Map<string, WakeUpRequest>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** a JetStream publish (js.publish), resolving once the stream stored the message */
    private readonly publishToStream: (subject: string, payload: Uint8Array) => Promise<unknown>,
    private readonly onOutcome: (outcome: WakeUpOutcome, error?: unknown) => void,
    private readonly settings: WakeUpRetrySettings = { retryIntervalMs: 1_000, maxWaiting: 100_000 },
    private readonly now: () => number = Date.now,
  ) {}

  publish(request: WakeUpRequest): void {
    // a newer wake-up supersedes one waiting for its retry
    this.waiting.delete(request.identity);
    this.send(request);
  }

  /** Wake-ups waiting for a retry (a gauge for tests and operators). */
  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Publish every waiting wake-up again now (the retry timer calls this). */
  retryWaiting(): void {
    const due = [...this.waiting.values()];
    this.waiting.clear();
    for (const request of due) this.send(request);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private send(request: WakeUpRequest): void {
    if (this.publishing.has(request.identity)) {
      this.next.set(request.identity, request);
      return;
    }
    this.publishing.add(request.identity);
    let sent: Promise<unknown>;
    try {
      sent = this.publishToStream(pushWakeupSubject(request.identity), encode(request));
    } catch (error) {
      // e.g. NATS not connected yet
      sent = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    sent
      .then(
        () => {
          this.onOutcome('queued');
        },
        (error: unknown) => {
          this.keepForRetry(request, error);
        },
      )
      .finally(() => {
        this.publishing.delete(request.identity);
        const newer = this.next.get(request.identity);
        if (!newer) return;
        this.next.delete(request.identity);
        // it supersedes a failed one kept for retry
        this.waiting.delete(request.identity);
        this.send(newer);
      });
  }

  private keepForRetry(request: WakeUpRequest, error: unknown): void {
    const newer = this.waiting.get(request.identity);
    if (request.expiresAt.getTime() <= this.now() || (newer && newer.createdAt > request.createdAt)) {
      this.onOutcome('dropped', error);
      return;
    }
    if (!newer && this.waiting.size >= this.settings.maxWaiting) {
      this.onOutcome('dropped', error);
      return;
    }
    this.waiting.set(request.identity, request);
    this.onOutcome('failed', error);
    this.timer ??= setInterval(() => {
      if (this.waiting.size === 0) this.stop();
      else this.retryWaiting();
    }, this.settings.retryIntervalMs);
    this.timer.unref();
  }
}

function encode(request: WakeUpRequest): Uint8Array {
  return pushWakeupV1.WakeUp.encode({
    identity: request.identity,
    createdAtMs: BigInt(request.createdAt.getTime()),
    expiresAtMs: BigInt(request.expiresAt.getTime()),
    voip: request.voip,
    group: request.group,
  }).finish();
}
