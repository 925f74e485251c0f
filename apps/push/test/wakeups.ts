import { pushWakeupSubject, pushWakeupV1 } from '@ots/contracts';
import { waitFor } from '@ots/testing';
import type { NatsConnection } from 'nats';

import type { PushFakesProcess } from './start-push';

export interface ReceivedPush {
  provider: string;
  at: number;
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  status: number;
}

/** Publish a wake-up the way the mailbox does (waits until the push service has created the stream). */
export async function publishWakeUp(
  nats: NatsConnection,
  identity: string,
  overrides: Partial<pushWakeupV1.WakeUp> = {},
): Promise<void> {
  const now = BigInt(Date.now());
  const data = pushWakeupV1.WakeUp.encode({
    identity,
    createdAtMs: now,
    expiresAtMs: now + 60_000n,
    voip: false,
    group: false,
    ...overrides,
  }).finish();
  await waitFor(
    async () => {
      try {
        await nats.jetstream().publish(pushWakeupSubject(identity), data);
        return true;
      } catch {
        return false;
      }
    },
    { timeoutMs: 10_000, intervalMs: 100, description: 'wake-up stream' },
  );
}

/** What the fakes received from one provider, once there are at least `atLeast` requests. */
export async function receivedBy(
  fakes: PushFakesProcess,
  provider: string,
  atLeast: number,
  timeoutMs = 10_000,
): Promise<ReceivedPush[]> {
  let list: ReceivedPush[] = [];
  await waitFor(
    async () => {
      const answer = (await fakes.control(`/_fake/received?provider=${provider}`)) as {
        received: ReceivedPush[];
      };
      list = answer.received;
      return list.length >= atLeast;
    },
    { timeoutMs, intervalMs: 50, description: `${String(atLeast)} ${provider} request(s)` },
  );
  return list;
}
