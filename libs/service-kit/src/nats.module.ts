import { type DynamicModule, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ReadinessRegistry } from '@ots/observability';

import { NatsClient, type NatsSettings } from './nats-client';

@Injectable()
class NatsLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Nats');

  constructor(private readonly client: NatsClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close((error) => {
      this.logger.warn({ msg: 'NATS drain failed; closing', err: error });
    });
  }
}

/** One NATS connection per process (see NatsClient); readiness follows a round trip to the server. */
@Module({})
export class NatsModule {
  static forRoot(settings: NatsSettings): DynamicModule {
    return {
      module: NatsModule,
      global: true,
      providers: [
        {
          provide: NatsClient,
          inject: [ReadinessRegistry],
          useFactory: (readiness: ReadinessRegistry): NatsClient => {
            const client = new NatsClient(settings);
            readiness.register('nats', () => client.ping());
            return client;
          },
        },
        NatsLifecycle,
      ],
      exports: [NatsClient],
    };
  }
}
