import { PUSH_WAKEUP_STREAM } from '@ots/contracts';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamManager,
  nanos,
  RetentionPolicy,
  StorageType,
} from 'nats';

export interface WakeUpConsumerSettings {
  /** un-acknowledged wake-ups the server hands out at once */
  readonly maxAckPending: number;
  /** how long a delivered wake-up may stay un-acknowledged before JetStream redelivers it (a crashed consumer) */
  readonly ackWaitMs: number;
}

/**
 * The wake-up work queue with exactly the settings of libs/contracts PUSH_WAKEUP_STREAM (one subject per
 * receiver, at most one message per subject, so repeated wake-ups collapse into the newest), created if missing.
 * An existing stream is left as it is: the mailbox creates it with the same settings.
 */
export async function ensureWakeUpStream(manager: JetStreamManager): Promise<void> {
  try {
    await manager.streams.info(PUSH_WAKEUP_STREAM.name);
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await manager.streams.add({
      name: PUSH_WAKEUP_STREAM.name,
      subjects: [...PUSH_WAKEUP_STREAM.subjects],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_msgs_per_subject: PUSH_WAKEUP_STREAM.maxMessagesPerSubject,
      max_age: nanos(PUSH_WAKEUP_STREAM.maxAgeSeconds * 1000),
    });
  } catch (error) {
    // the mailbox created it meanwhile
    if (!/already in use/i.test(String(error))) throw error;
  }
}

/** The push service's durable pull consumer with explicit acks, created if missing. */
export async function ensureWakeUpConsumer(
  manager: JetStreamManager,
  settings: WakeUpConsumerSettings,
): Promise<void> {
  const config = {
    durable_name: PUSH_WAKEUP_STREAM.consumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(settings.ackWaitMs),
    max_ack_pending: settings.maxAckPending,
  };
  try {
    await manager.consumers.info(PUSH_WAKEUP_STREAM.name, PUSH_WAKEUP_STREAM.consumer);
    await manager.consumers.update(PUSH_WAKEUP_STREAM.name, PUSH_WAKEUP_STREAM.consumer, {
      ack_wait: config.ack_wait,
      max_ack_pending: config.max_ack_pending,
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await manager.consumers.add(PUSH_WAKEUP_STREAM.name, config);
  }
}

function isNotFound(error: unknown): boolean {
  return /not found/i.test(error instanceof Error ? error.message : String(error));
}
