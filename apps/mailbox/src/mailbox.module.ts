import { type DynamicModule, Module } from '@nestjs/common';
import { DirectoryClientModule } from '@ots/internal-clients';
import { serviceCoreModules, type ServiceRuntime } from '@ots/service-kit';

import { MAILBOX_CONFIG, type MailboxConfig } from './config';
import { ChatServer } from './csp/chat-server';
import { MailboxGrpcServer } from './grpc/mailbox-grpc.server';
import { MailboxDatabase } from './infrastructure/mailbox-database';

@Module({})
export class MailboxModule {
  static forRoot(config: MailboxConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: MailboxModule,
      imports: [
        // the chat server delivers to its own connections directly; NATS carries only what other instances need
        ...serviceCoreModules(config, runtime, { natsNoEcho: true }),
        DirectoryClientModule.forRoot(config.DIRECTORY_GRPC_URL),
      ],
      providers: [
        { provide: MAILBOX_CONFIG, useValue: config },
        MailboxDatabase,
        ChatServer,
        MailboxGrpcServer,
      ],
    };
  }
}
