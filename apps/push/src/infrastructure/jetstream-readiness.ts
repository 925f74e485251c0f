import { Injectable } from '@nestjs/common';
import { ReadinessRegistry } from '@ots/observability';
import { NatsClient } from '@ots/service-kit';

/** Wake-ups arrive through a JetStream work queue, so push is ready only when JetStream answers. */
@Injectable()
export class JetStreamReadiness {
  constructor(nats: NatsClient, readiness: ReadinessRegistry) {
    readiness.register('jetstream', async () => {
      const manager = await nats.connection.jetstreamManager({ timeout: 1_500 });
      await manager.getAccountInfo();
    });
  }
}
