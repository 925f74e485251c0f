/** What a test tells a fake to answer instead of success (consumed `times` times, then success again). */
export interface FakeBehaviour {
  readonly provider: 'fcm' | 'apns' | 'hms';
  /** only requests for this device token (default: every request) */
  readonly token?: string;
  /** how many requests it applies to (default: until reset) */
  times?: number;
  /** answer after this delay (a hanging provider) */
  readonly hangMs?: number;
  /** HTTP status of the answer */
  readonly status?: number;
  /** FCM errorCode / APNs reason / HMS business code */
  readonly reason?: string;
  /** Retry-After header (seconds) */
  readonly retryAfter?: number;
  /** APNs 410: the `timestamp` (ms) of the unregistration */
  readonly timestamp?: number;
  /** HMS 80100000 partial success: the tokens to list as illegal_tokens */
  readonly illegalTokens?: readonly string[];
}

export interface ReceivedPush {
  readonly provider: 'fcm' | 'apns' | 'hms';
  readonly at: number;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  /** the answer the fake gave */
  readonly status: number;
}

const MAX_RECORDED = 100_000;

/** Shared by the three fakes of one process: scripted failures and everything received. */
export class FakeState {
  private behaviours: FakeBehaviour[] = [];
  received: ReceivedPush[] = [];
  counts = { fcm: 0, apns: 0, hms: 0, tokens: { google: 0, hms: 0 } };

  script(behaviour: FakeBehaviour): void {
    this.behaviours.push({ ...behaviour });
  }

  /** The behaviour for this request, if any (and counts one use of it). */
  take(provider: FakeBehaviour['provider'], token: string): FakeBehaviour | undefined {
    const index = this.behaviours.findIndex(
      (b) => b.provider === provider && (b.token === undefined || b.token === token),
    );
    if (index < 0) return undefined;
    const behaviour = this.behaviours[index];
    if (behaviour.times !== undefined) {
      behaviour.times--;
      if (behaviour.times <= 0) this.behaviours.splice(index, 1);
    }
    return behaviour;
  }

  record(push: ReceivedPush): void {
    this.counts[push.provider]++;
    if (this.received.length >= MAX_RECORDED) this.received.shift();
    this.received.push(push);
  }

  reset(): void {
    this.behaviours = [];
    this.received = [];
    this.counts = { fcm: 0, apns: 0, hms: 0, tokens: { google: 0, hms: 0 } };
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
