import { pushWakeupV1 } from '@ots/contracts';

import type { WakeUpRequest } from '../domain/ports';
import { JetStreamWakeUpPublisher, type WakeUpOutcome } from './jetstream-wakeups';

const NOW = 1_800_000_000_000;

function request(identity: string, createdAt = NOW, expiresAt = NOW + 60_000): WakeUpRequest {
  return {
    identity,
    createdAt: new Date(createdAt),
    expiresAt: new Date(expiresAt),
    voip: false,
    group: false,
  };
}

/** JetStream as a switch: down (every publish rejected) or up (every publish stored). */
class FakeStream {
  up = false;
  readonly stored: { subject: string; wakeUp: pushWakeupV1.WakeUp }[] = [];

  publish = (subject: string, payload: Uint8Array): Promise<unknown> => {
    if (!this.up) return Promise.reject(new Error('TIMEOUT'));
    this.stored.push({ subject, wakeUp: pushWakeupV1.WakeUp.decode(payload) });
    return Promise.resolve({ seq: this.stored.length });
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function publisher(stream: FakeStream, maxWaiting = 10) {
  const outcomes: WakeUpOutcome[] = [];
  const wakeUps = new JetStreamWakeUpPublisher(
    stream.publish,
    (outcome) => outcomes.push(outcome),
    { retryIntervalMs: 60_000, maxWaiting },
    () => NOW,
  );
  return { wakeUps, outcomes };
}

describe('JetStreamWakeUpPublisher', () => {
  it('publishes to the receiver subject', async () => {
    const stream = new FakeStream();
    stream.up = true;
    const { wakeUps, outcomes } = publisher(stream);
    wakeUps.publish(request('RECEIVE1'));
    await settle();
    expect(stream.stored.map((s) => s.subject)).toEqual(['ots.push.wakeup.RECEIVE1']);
    expect(outcomes).toEqual(['queued']);
  });

  it('keeps a wake-up JetStream did not accept and publishes it once NATS is back', async () => {
    const stream = new FakeStream();
    const { wakeUps, outcomes } = publisher(stream);
    wakeUps.publish(request('RECEIVE1'));
    await settle();
    expect(outcomes).toEqual(['failed']);
    expect(wakeUps.waitingCount).toBe(1);

    wakeUps.retryWaiting(); // still down: kept again
    await settle();
    expect(wakeUps.waitingCount).toBe(1);

    stream.up = true;
    wakeUps.retryWaiting();
    await settle();
    expect(stream.stored.map((s) => s.wakeUp.identity)).toEqual(['RECEIVE1']);
    expect(wakeUps.waitingCount).toBe(0);
    expect(outcomes).toEqual(['failed', 'failed', 'queued']);
    wakeUps.stop();
  });

  it('keeps only the newest wake-up per receiver, as the stream would', async () => {
    const stream = new FakeStream();
    const { wakeUps } = publisher(stream);
    wakeUps.publish(request('RECEIVE1', NOW - 2_000));
    await settle();
    wakeUps.publish(request('RECEIVE1', NOW - 1_000));
    await settle();
    expect(wakeUps.waitingCount).toBe(1);
    stream.up = true;
    wakeUps.retryWaiting();
    await settle();
    expect(stream.stored.map((s) => Number(s.wakeUp.createdAtMs))).toEqual([NOW - 1_000]);
    wakeUps.stop();
  });

  it('collapses a burst per receiver: one publish under way, then only the newest of what came meanwhile', async () => {
    const published: { subject: string; createdAtMs: number }[] = [];
    const acks: (() => void)[] = [];
    const outcomes: WakeUpOutcome[] = [];
    const wakeUps = new JetStreamWakeUpPublisher(
      (subject, payload) => {
        published.push({ subject, createdAtMs: Number(pushWakeupV1.WakeUp.decode(payload).createdAtMs) });
        return new Promise<void>((resolve) => acks.push(resolve));
      },
      (outcome) => outcomes.push(outcome),
      { retryIntervalMs: 60_000, maxWaiting: 10 },
      () => NOW,
    );
    for (let i = 1; i <= 50; i += 1) wakeUps.publish(request('RECEIVE1', NOW + i));
    wakeUps.publish(request('RECEIVE2', NOW));
    expect(published.map((p) => [p.subject, p.createdAtMs])).toEqual([
      ['ots.push.wakeup.RECEIVE1', NOW + 1],
      ['ots.push.wakeup.RECEIVE2', NOW],
    ]);
    acks.splice(0).forEach((ack) => {
      ack();
    });
    await settle();
    expect(published.slice(2).map((p) => p.createdAtMs)).toEqual([NOW + 50]);
    acks.splice(0).forEach((ack) => {
      ack();
    });
    await settle();
    expect(published).toHaveLength(3);
    expect(outcomes).toEqual(['queued', 'queued', 'queued']);
  });

  it('drops expired wake-ups and bounds how many wait', async () => {
    const stream = new FakeStream();
    const { wakeUps, outcomes } = publisher(stream, 2);
    wakeUps.publish(request('EXPIRED1', NOW - 10_000, NOW - 1));
    wakeUps.publish(request('RECEIVE1'));
    wakeUps.publish(request('RECEIVE2'));
    wakeUps.publish(request('RECEIVE3'));
    await settle();
    expect(outcomes.filter((o) => o === 'dropped')).toHaveLength(2);
    expect(wakeUps.waitingCount).toBe(2);
    wakeUps.stop();
  });

  it('treats a publish that throws (NATS not connected yet) like a rejected one', async () => {
    const { wakeUps, outcomes } = (() => {
      const outcomesList: WakeUpOutcome[] = [];
      const instance = new JetStreamWakeUpPublisher(
        () => {
          throw new Error('NATS is not connected yet');
        },
        (outcome) => outcomesList.push(outcome),
        { retryIntervalMs: 60_000, maxWaiting: 10 },
        () => NOW,
      );
      return { wakeUps: instance, outcomes: outcomesList };
    })();
    wakeUps.publish(request('RECEIVE1'));
    await settle();
    expect(outcomes).toEqual(['failed']);
    expect(wakeUps.waitingCount).toBe(1);
    wakeUps.stop();
  });
});
