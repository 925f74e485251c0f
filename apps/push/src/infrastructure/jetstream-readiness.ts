import { Inject, Injectable } from '@nestjs/common';
import { ReadinessRegistry } from '@ots/observability';
import { NATS_CONNECTION } from '@ots/service-kit';
import type { NatsConnection } from 'nats';

/** Wake-ups arrive through a JetStream work queue, so push is ready only when JetStream answers. */
@Injectable()
export class JetStreamReadiness {
  constructor(@Inject(NATS_CONNECTION) connection: NatsConnection, readiness: ReadinessRegistry) {
    readiness.register('jetstream', async () => {
      const manager = await connection.jetstreamManager({ timeout: 1_500 });
      await manager.getAccountInfo();
    });
  }
}
