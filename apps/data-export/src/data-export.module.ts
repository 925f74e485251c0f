import { type DynamicModule, Module } from '@nestjs/common';
import { connectCsp } from '@ots/client';
import { directoryV1, mailboxV1, pushV1 } from '@ots/contracts';
import { MetricsRegistry, NotReadyError, ReadinessRegistry } from '@ots/observability';
import { SlidingWindowLimiter } from '@ots/rate-limit';
import { createGrpcClient, serviceCoreModules, type ServiceRuntime } from '@ots/service-kit';
import { Counter } from 'prom-client';

import {
  MY3DATA_BOT_DEPENDENCIES,
  MY3DATA_BOT_SETTINGS,
  My3dataBot,
  type My3dataBotDependencies,
  type My3dataBotSettings,
} from './bot/my3data-bot';
import { DATA_EXPORT_CONFIG, type DataExportConfig } from './config';
import { AnswerCommandUseCase } from './domain/answer-command.usecase';
import {
  GrpcDirectoryInventorySource,
  GrpcMailboxInventorySource,
  GrpcPushTokenSource,
} from './infrastructure/grpc-inventory-sources';
import { GrpcPublicKeys } from './infrastructure/grpc-public-keys';

const HOUR_MS = 3_600_000;

@Module({})
export class DataExportModule {
  static forRoot(config: DataExportConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: DataExportModule,
      imports: [...serviceCoreModules(config, runtime)],
      providers: [
        { provide: DATA_EXPORT_CONFIG, useValue: config },
        {
          provide: MY3DATA_BOT_SETTINGS,
          useValue: {
            identity: config.MY3DATA_IDENTITY,
            secretKey: config.MY3DATA_SECRET_KEY_FILE,
            host: config.MAILBOX_CSP_HOST,
            port: config.MAILBOX_CSP_PORT,
            serverPublicKey: config.MAILBOX_CSP_PUBLIC_KEY,
            reconnectMs: config.DATA_EXPORT_RECONNECT_MS,
          } satisfies My3dataBotSettings,
        },
        {
          provide: MY3DATA_BOT_DEPENDENCIES,
          inject: [MetricsRegistry],
          useFactory: (metrics: MetricsRegistry): My3dataBotDependencies => {
            const directory = createGrpcClient(directoryV1.DirectoryServiceClient, config.DIRECTORY_GRPC_URL);
            const push = createGrpcClient(pushV1.PushServiceClient, config.PUSH_GRPC_URL);
            const mailbox = createGrpcClient(mailboxV1.MailboxServiceClient, config.MAILBOX_GRPC_URL);
            // reply kinds only: no per-identity labels
            const replies = new Counter({
              name: 'ots_data_export_replies_total',
              help: 'Replies of the *MY3DATA bot by kind (export, help, rate-limited, no-data, unavailable)',
              labelNames: ['kind'],
              registers: [metrics.registry],
            });
            return {
              connect: connectCsp,
              publicKeys: new GrpcPublicKeys(directory),
              answer: new AnswerCommandUseCase(
                new GrpcDirectoryInventorySource(directory),
                new GrpcPushTokenSource(push),
                new GrpcMailboxInventorySource(mailbox),
                new SlidingWindowLimiter({
                  limit: config.DATA_EXPORT_PER_IDENTITY_PER_HOUR,
                  windowMs: HOUR_MS,
                }),
              ),
              onReply: (reply) => {
                replies.inc({ kind: reply.kind });
              },
            };
          },
        },
        {
          provide: My3dataBot,
          inject: [MY3DATA_BOT_SETTINGS, MY3DATA_BOT_DEPENDENCIES, ReadinessRegistry],
          useFactory: (
            settings: My3dataBotSettings,
            deps: My3dataBotDependencies,
            readiness: ReadinessRegistry,
          ) => {
            const bot = new My3dataBot(settings, deps);
            readiness.register('chat-server-login', () =>
              bot.connected
                ? Promise.resolve()
                : Promise.reject(new NotReadyError('not logged in to the chat server yet')),
            );
            return bot;
          },
        },
      ],
    };
  }
}
