import { type DynamicModule, Module } from '@nestjs/common';
import { PrismaIdentityRepository } from '@ots/directory-db';
import { serviceCoreModules, type ServiceRuntime } from '@ots/service-kit';

import { DIRECTORY_CONFIG, type DirectoryConfig } from './config';
import { GetIdentitiesUseCase } from './domain/get-identities/get-identities.usecase';
import { DirectoryGrpcServer } from './grpc/directory-grpc.server';
import { DirectoryDatabase } from './infrastructure/directory-database';

@Module({})
export class DirectoryModule {
  static forRoot(config: DirectoryConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: DirectoryModule,
      imports: [...serviceCoreModules(config, runtime)],
      providers: [
        { provide: DIRECTORY_CONFIG, useValue: config },
        DirectoryDatabase,
        {
          provide: PrismaIdentityRepository,
          inject: [DirectoryDatabase],
          useFactory: (database: DirectoryDatabase) => new PrismaIdentityRepository(database.client),
        },
        {
          provide: GetIdentitiesUseCase,
          inject: [PrismaIdentityRepository],
          useFactory: (identities: PrismaIdentityRepository) => new GetIdentitiesUseCase(identities),
        },
        DirectoryGrpcServer,
      ],
    };
  }
}
