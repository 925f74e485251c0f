import { PUSH_WAKEUP_STREAM } from '@ots/contracts';
import { isNotFound } from '@ots/service-kit';
import { AckPolicy, DeliverPolicy, type JetStreamManager, nanos } from 'nats';

export { ensurePushWakeUpStream as ensureWakeUpStream } from '@ots/service-kit';

export interface WakeUpConsumerSettings {
  /** un-acknowledged wake-ups the server hands out at once */
  readonly maxAckPending: number;
  /** how long a delivered wake-up may stay un-acknowledged before JetStream redelivers it (a crashed consumer) */
  readonly ackWaitMs: number;
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
