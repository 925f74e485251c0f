import { PUSH_WAKEUP_STREAM } from '@ots/contracts';

import type { ObservedPush } from './wakeup-book';

export interface WakeUpQueueState {
  /** wake-ups JetStream accepted so far (the stream's last sequence; survives restarts with the file store) */
  readonly accepted: number;
  /** still stored in the work queue */
  readonly stored: number;
  /** stored but not yet delivered to the push service, and delivered but not yet acknowledged by it */
  readonly pending: number;
  readonly ackPending: number;
  /** 'file' when the stream survives a NATS restart */
  readonly storage: string;
}

interface JszStream {
  name: string;
  state: { messages: number; last_seq: number };
  config?: { storage?: string };
  consumer_detail?: { name: string; num_pending: number; num_ack_pending: number }[];
}

/** The push wake-up stream's state from the NATS monitoring endpoint (no client connection to keep alive). */
export async function wakeUpQueueState(monitorPort: number): Promise<WakeUpQueueState | undefined> {
  try {
    const response = await fetch(
      `http://127.0.0.1:${String(monitorPort)}/jsz?accounts=true&streams=true&consumers=true&config=true`,
      { signal: AbortSignal.timeout(2_000) },
    );
    if (!response.ok) return undefined;
    const body = (await response.json()) as { account_details?: { stream_detail?: JszStream[] }[] };
    const stream = (body.account_details ?? [])
      .flatMap((account) => account.stream_detail ?? [])
      .find((candidate) => candidate.name === PUSH_WAKEUP_STREAM.name);
    if (!stream) return undefined;
    const consumer = stream.consumer_detail?.find((c) => c.name === PUSH_WAKEUP_STREAM.consumer);
    return {
      accepted: stream.state.last_seq,
      stored: stream.state.messages,
      pending: consumer?.num_pending ?? stream.state.messages,
      ackPending: consumer?.num_ack_pending ?? 0,
      storage: stream.config?.storage ?? 'unknown',
    };
  } catch {
    return undefined;
  }
}

interface ReceivedPush {
  provider: string;
  at: number;
  status: number;
  body?: { message?: { token?: unknown } };
}

/**
 * Pushes the FCM fake answered with success, by receiver (`tokens` maps each drill device token to its
 * identity). Undefined when the fake could not be asked.
 */
export async function fcmPushes(
  fcmUrl: string,
  tokens: ReadonlyMap<string, string>,
): Promise<ObservedPush[] | undefined> {
  try {
    const response = await fetch(`${fcmUrl}/_fake/received?provider=fcm`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { received: ReceivedPush[] };
    const pushes: ObservedPush[] = [];
    for (const push of body.received) {
      const token = push.body?.message?.token;
      const receiver = typeof token === 'string' ? tokens.get(token) : undefined;
      if (push.status === 200 && receiver) pushes.push({ receiver, at: push.at });
    }
    return pushes;
  } catch {
    return undefined;
  }
}
