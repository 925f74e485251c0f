import { PUSH_WAKEUP_STREAM, pushWakeupSubject, pushWakeupV1 } from '@ots/contracts';
import { DiscardPolicy, type NatsConnection, RetentionPolicy, StorageType } from 'nats';

import type { WakeUpPublisher, WakeUpRequest } from '../domain/ports';

/** Create the push wake-up work queue if it is missing, with the settings both sides agree on (contracts). */
export async function ensureWakeUpStream(nc: NatsConnection): Promise<void> {
  const manager = await nc.jetstreamManager({ timeout: 5_000 });
  try {
    await manager.streams.info(PUSH_WAKEUP_STREAM.name);
  } catch {
    await manager.streams.add({
      name: PUSH_WAKEUP_STREAM.name,
      subjects: [...PUSH_WAKEUP_STREAM.subjects],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_msgs_per_subject: PUSH_WAKEUP_STREAM.maxMessagesPerSubject,
      max_age: PUSH_WAKEUP_STREAM.maxAgeSeconds * 1_000_000_000,
    });
  }
}

/**
 * Wake-ups for offline receivers (architecture step 5) onto the JetStream work queue: one subject per receiver
 * holding at most one message, so repeated wake-ups collapse. Published off the ack path; a failed publish is
 * reported, and the message itself stays queued for the receiver's next login.
 */
export class JetStreamWakeUpPublisher implements WakeUpPublisher {
  constructor(
    private readonly connection: () => NatsConnection,
    private readonly onPublished: (ok: boolean, error?: unknown) => void,
  ) {}

  publish(request: WakeUpRequest): void {
    const payload = pushWakeupV1.WakeUp.encode({
      identity: request.identity,
      createdAtMs: BigInt(request.createdAt.getTime()),
      expiresAtMs: BigInt(request.expiresAt.getTime()),
      voip: request.voip,
      group: request.group,
    }).finish();
    this.connection()
      .jetstream()
      .publish(pushWakeupSubject(request.identity), payload)
      .then(
        () => {
          this.onPublished(true);
        },
        (error: unknown) => {
          this.onPublished(false, error);
        },
      );
  }
}
