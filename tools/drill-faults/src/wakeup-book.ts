// Which acknowledged messages to offline receivers were followed by a push at the receiver's device. The drill sends
// an offline receiver its next message only after the push for the previous one arrived (or its wait ran out), so
// message i is woken up exactly when a push for that device arrived after it was sent and before message i+1 was.

export interface WakeUpExpectation {
  readonly receiver: string;
  readonly step: number;
  /** when the message was first sent (the server cannot have queued a wake-up for it earlier) */
  readonly sentAt: number;
}

export interface ObservedPush {
  readonly receiver: string;
  /** when the fake provider received it (same machine clock) */
  readonly at: number;
}

export interface WakeUpCounts {
  /** acknowledged messages to offline receivers: each must wake its receiver */
  readonly expected: number;
  readonly woken: number;
  readonly lost: number;
}

export class WakeUpBook {
  private readonly expectations: WakeUpExpectation[] = [];
  private readonly pushes = new Map<string, number[]>();

  expect(expectation: WakeUpExpectation): void {
    this.expectations.push(expectation);
  }

  /** Replaces what is known about pushes (the fakes report everything they ever received). */
  observe(pushes: readonly ObservedPush[]): void {
    this.pushes.clear();
    for (const push of pushes) {
      const times = this.pushes.get(push.receiver) ?? [];
      times.push(push.at);
      this.pushes.set(push.receiver, times);
    }
  }

  /** Has `receiver`'s device received a push after `since`? */
  pushedAfter(receiver: string, since: number): boolean {
    return (this.pushes.get(receiver) ?? []).some((at) => at > since);
  }

  /** Expectations not followed by a push before the receiver's next message was sent. */
  unmet(filter: (expectation: WakeUpExpectation) => boolean = () => true): WakeUpExpectation[] {
    const byReceiver = new Map<string, WakeUpExpectation[]>();
    for (const expectation of this.expectations) {
      const list = byReceiver.get(expectation.receiver) ?? [];
      list.push(expectation);
      byReceiver.set(expectation.receiver, list);
    }
    const unmet: WakeUpExpectation[] = [];
    for (const [receiver, list] of byReceiver) {
      list.sort((a, b) => a.sentAt - b.sentAt);
      const times = this.pushes.get(receiver) ?? [];
      list.forEach((expectation, index) => {
        if (!filter(expectation)) return;
        const until = list[index + 1]?.sentAt ?? Number.POSITIVE_INFINITY;
        if (!times.some((at) => at > expectation.sentAt && at <= until)) unmet.push(expectation);
      });
    }
    return unmet;
  }

  counts(filter: (expectation: WakeUpExpectation) => boolean = () => true): WakeUpCounts {
    const expected = this.expectations.filter(filter).length;
    const lost = this.unmet(filter).length;
    return { expected, woken: expected - lost, lost };
  }

  /** Pushes received in [from, to). */
  pushesBetween(from: number, to: number): number {
    let count = 0;
    for (const times of this.pushes.values()) count += times.filter((at) => at >= from && at < to).length;
    return count;
  }
}
