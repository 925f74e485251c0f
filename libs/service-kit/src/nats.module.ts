import { type DynamicModule, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ReadinessRegistry } from '@ots/observability';
import { connect, type NatsConnection } from 'nats';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

export interface NatsSettings {
  readonly servers: readonly string[];
  /** connection name shown in the NATS monitoring endpoints: the service name, never an identity */
  readonly name: string;
}

class NatsLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Nats');

  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.connection.isClosed()) return;
    try {
      await this.connection.drain();
    } catch (error) {
      this.logger.warn({ msg: 'NATS drain failed', err: error });
    }
  }
}

/** One NATS connection per process, reconnecting forever; readiness follows a round trip to the server. */
@Module({})
export class NatsModule {
  static forRoot(settings: NatsSettings): DynamicModule {
    return {
      module: NatsModule,
      global: true,
      providers: [
        {
          provide: NATS_CONNECTION,
          inject: [ReadinessRegistry],
          useFactory: async (readiness: ReadinessRegistry): Promise<NatsConnection> => {
            const connection = await connect({
              servers: [...settings.servers],
              name: settings.name,
              maxReconnectAttempts: -1,
              reconnectTimeWait: 500,
              waitOnFirstConnect: true,
            });
            readiness.register('nats', async () => {
              if (connection.isClosed()) throw new Error('NATS connection closed');
              await connection.flush();
            });
            return connection;
          },
        },
        NatsLifecycle,
      ],
      exports: [NATS_CONNECTION],
    };
  }
}
