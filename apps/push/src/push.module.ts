import { type DynamicModule, Module } from '@nestjs/common';
import { MetricsRegistry } from '@ots/observability';
import { PrismaPushTokenRepository } from '@ots/push-db';
import { serviceCoreModules, type ServiceRuntime } from '@ots/service-kit';

import { PUSH_CONFIG, type PushConfig } from './config';
import { DeleteTokensUseCase } from './domain/tokens/delete-tokens.usecase';
import { ListTokensUseCase } from './domain/tokens/list-tokens.usecase';
import { SetTokenUseCase } from './domain/tokens/set-token.usecase';
import { DeliverWakeUpUseCase } from './domain/wakeups/deliver-wakeup.usecase';
import { DeviceCollapse } from './domain/wakeups/device-collapse';
import { ProviderGateway } from './domain/wakeups/provider-gateway';
import { PushGrpcServer } from './grpc/push-grpc.server';
import { BatchingTokenReader } from './infrastructure/batching-token-reader';
import { JetStreamReadiness } from './infrastructure/jetstream-readiness';
import { PushDatabase } from './infrastructure/push-database';
import { PushMetrics } from './infrastructure/push-metrics';
import { PushProviders } from './infrastructure/push-providers';
import { RevocationListener } from './infrastructure/revocation-listener';
import { WakeUpConsumer } from './infrastructure/wakeup-consumer';

@Module({})
export class PushModule {
  static forRoot(config: PushConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: PushModule,
      imports: [...serviceCoreModules(config, runtime)],
      providers: [
        { provide: PUSH_CONFIG, useValue: config },
        JetStreamReadiness,
        PushDatabase,
        {
          provide: PrismaPushTokenRepository,
          inject: [PushDatabase],
          useFactory: (database: PushDatabase) => new PrismaPushTokenRepository(database.client),
        },
        {
          provide: SetTokenUseCase,
          inject: [PrismaPushTokenRepository],
          useFactory: (tokens: PrismaPushTokenRepository) => new SetTokenUseCase(tokens),
        },
        {
          provide: DeleteTokensUseCase,
          inject: [PrismaPushTokenRepository],
          useFactory: (tokens: PrismaPushTokenRepository) => new DeleteTokensUseCase(tokens),
        },
        {
          provide: ListTokensUseCase,
          inject: [PrismaPushTokenRepository],
          useFactory: (tokens: PrismaPushTokenRepository) => new ListTokensUseCase(tokens),
        },
        {
          provide: PushMetrics,
          inject: [MetricsRegistry],
          useFactory: (metrics: MetricsRegistry) => new PushMetrics(metrics),
        },
        PushProviders,
        RevocationListener,
        {
          provide: ProviderGateway,
          inject: [PushProviders, PushMetrics],
          useFactory: (providers: PushProviders, metrics: PushMetrics) =>
            new ProviderGateway(
              providers.all,
              {
                timeoutMs: config.PUSH_PROVIDER_TIMEOUT_MS,
                maxInFlightPerProvider: config.PUSH_PROVIDER_MAX_IN_FLIGHT,
                circuit: {
                  failureThreshold: config.PUSH_CIRCUIT_FAILURE_THRESHOLD,
                  openMs: config.PUSH_CIRCUIT_OPEN_MS,
                },
              },
              metrics,
            ),
        },
        {
          provide: DeliverWakeUpUseCase,
          inject: [PrismaPushTokenRepository, ProviderGateway, PushMetrics],
          useFactory: (tokens: PrismaPushTokenRepository, gateway: ProviderGateway, metrics: PushMetrics) => {
            const reader = new BatchingTokenReader(tokens);
            return new DeliverWakeUpUseCase(
              {
                listByIdentity: (identity) => reader.listByIdentity(identity),
                deleteGone: (gone) => tokens.deleteGone(gone),
              },
              gateway,
              new DeviceCollapse(),
              metrics,
              {
                maxAttempts: config.PUSH_RETRY_MAX_ATTEMPTS,
                backoff: { baseMs: config.PUSH_RETRY_BASE_MS, maxMs: config.PUSH_RETRY_MAX_MS },
              },
            );
          },
        },
        PushGrpcServer,
        WakeUpConsumer,
      ],
    };
  }
}
