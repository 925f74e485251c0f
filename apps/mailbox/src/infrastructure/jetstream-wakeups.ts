import { pushWakeupSubject, pushWakeupV1 } from '@ots/contracts';
import type { NatsConnection } from 'nats';

import type { WakeUpPublisher, WakeUpRequest } from '../domain/ports';

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
