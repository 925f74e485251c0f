import { type DynamicModule, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ReadinessRegistry } from '@ots/observability';
import { connect, type NatsConnection } from 'nats';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

const DRAIN_TIMEOUT_MS = 2_000;

export interface NatsSettings {
  readonly servers: readonly string[];
  /** connection name shown in the NATS monitoring endpoints: the service name, never an identity */
  readonly name: string;
}

class NatsLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Nats');

  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  /** Drain (finish in-flight messages) when connected; never wait on a server that is gone. */
  async onApplicationShutdown(): Promise<void> {
    if (this.connection.isClosed()) return;
    try {
      await Promise.race([
        this.connection.drain(),
        new Promise((_, reject) =>
          setTimeout(() => {
            reject(new Error('drain timed out'));
          }, DRAIN_TIMEOUT_MS).unref(),
        ),
      ]);
    } catch (error) {
      this.logger.warn({ msg: 'NATS drain failed; closing', err: error });
    }
    if (!this.connection.isClosed()) await this.connection.close();
  }
}

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
