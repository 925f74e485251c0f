import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DIRECTORY_EVENT_SUBJECTS, directoryEventsV1 } from '@ots/contracts';
import { PrismaPushTokenRepository } from '@ots/push-db';
import { NatsClient } from '@ots/service-kit';
import type { Subscription } from 'nats';

/**
 * A revoked identity keeps no push tokens: on the directory's IdentityRevoked event (core NATS, every instance
 * receives it; deleting twice is harmless) all its tokens are deleted.
 */
@Injectable()
export class RevocationListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RevocationListener');
  private subscription: Subscription | undefined;

  constructor(
    private readonly nats: NatsClient,
    private readonly tokens: PrismaPushTokenRepository,
  ) {}

  onApplicationBootstrap(): void {
    void this.nats.connected.then(
      (connection) => {
        this.subscription = connection.subscribe(DIRECTORY_EVENT_SUBJECTS.revoked, {
          callback: (error, message) => {
            if (error) return;
            void this.onRevoked(message.data);
          },
        });
      },
      () => undefined,
    );
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  private async onRevoked(data: Uint8Array): Promise<void> {
    try {
      const { identity } = directoryEventsV1.IdentityRevoked.decode(data);
      const deleted = await this.tokens.deleteAllForIdentity(identity);
      this.logger.log({ msg: 'deleted the push tokens of a revoked identity', deleted });
    } catch (error) {
      this.logger.warn({
        msg: 'handling a revocation event failed',
        err: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
