import { type DynamicModule, Module } from '@nestjs/common';
import { DirectoryClientModule } from '@ots/internal-clients';
import { serviceCoreModules, type ServiceRuntime } from '@ots/service-kit';

import { CONTACT_SYNC_CONFIG, type ContactSyncConfig } from './config';

@Module({})
export class ContactSyncModule {
  static forRoot(config: ContactSyncConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: ContactSyncModule,
      imports: [
        ...serviceCoreModules(config, runtime),
        DirectoryClientModule.forRoot(config.DIRECTORY_GRPC_URL),
      ],
      providers: [{ provide: CONTACT_SYNC_CONFIG, useValue: config }],
    };
  }
}
