import { type DynamicModule, Module } from '@nestjs/common';
import { PrismaIdentityRepository } from '@ots/directory-db';
import { serviceCoreModules, type ServiceRuntime } from '@ots/service-kit';

import { DIRECTORY_CONFIG, type DirectoryConfig } from './config';
import { ChallengeService } from './domain/challenge/challenge.service';
import { CheckIdentitiesUseCase } from './domain/check-identities/check-identities.usecase';
import { CreateIdentityUseCase } from './domain/create-identity/create-identity.usecase';
import { FetchIdentitiesUseCase } from './domain/fetch-identities/fetch-identities.usecase';
import { GetIdentitiesUseCase } from './domain/get-identities/get-identities.usecase';
import { GetInventoryUseCase } from './domain/get-inventory/get-inventory.usecase';
import { RecordLoginsUseCase } from './domain/record-logins/record-logins.usecase';
import {
  CheckRevocationKeyUseCase,
  RevokeIdentityUseCase,
  SetRevocationKeyUseCase,
} from './domain/revocation/revocation.usecases';
import { SetFeatureMaskUseCase } from './domain/set-feature-mask/set-feature-mask.usecase';
import { SignedCallVerifier } from './domain/signed-call';
import { StreamLinkedHashesUseCase } from './domain/stream-linked-hashes/stream-linked-hashes.usecase';
import { DirectoryGrpcServer } from './grpc/directory-grpc.server';
import { IdentityLookupController } from './http/identity-lookup.controller';
import { IdentityRevocationController } from './http/identity-revocation.controller';
import { IdentitySignedController } from './http/identity-signed.controller';
import { DirectoryRateLimitGuard, DirectoryRateLimits } from './http/rate-limit.guard';
import { DirectoryDatabase } from './infrastructure/directory-database';
import { NatsDirectoryEvents } from './infrastructure/nats-directory-events';
import { PrismaIdentityWriter } from './infrastructure/prisma-identity-writer';
import { PrismaInventoryReader } from './infrastructure/prisma-inventory-reader';
import { PrismaRevocationStore } from './infrastructure/prisma-revocation-store';

@Module({})
export class DirectoryModule {
  static forRoot(config: DirectoryConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: DirectoryModule,
      imports: [...serviceCoreModules(config, runtime)],
      controllers: [IdentityLookupController, IdentitySignedController, IdentityRevocationController],
      providers: [
        DirectoryRateLimits,
        DirectoryRateLimitGuard,
        { provide: DIRECTORY_CONFIG, useValue: config },
        DirectoryDatabase,
        {
          provide: PrismaIdentityRepository,
          inject: [DirectoryDatabase],
          useFactory: (database: DirectoryDatabase) => new PrismaIdentityRepository(database.client),
        },
        PrismaIdentityWriter,
        PrismaInventoryReader,
        PrismaRevocationStore,
        NatsDirectoryEvents,
        // one per process: pending challenges live in memory (docs/adr/0007-directory-challenges.md)
        { provide: ChallengeService, useFactory: () => new ChallengeService() },
        {
          provide: GetIdentitiesUseCase,
          inject: [PrismaIdentityRepository],
          useFactory: (identities: PrismaIdentityRepository) => new GetIdentitiesUseCase(identities),
        },
        {
          provide: FetchIdentitiesUseCase,
          inject: [PrismaIdentityRepository],
          useFactory: (identities: PrismaIdentityRepository) => new FetchIdentitiesUseCase(identities),
        },
        {
          provide: CheckIdentitiesUseCase,
          inject: [PrismaIdentityRepository],
          useFactory: (identities: PrismaIdentityRepository) => new CheckIdentitiesUseCase(identities),
        },
        {
          provide: CreateIdentityUseCase,
          inject: [ChallengeService, PrismaIdentityWriter],
          useFactory: (challenges: ChallengeService, writer: PrismaIdentityWriter) =>
            new CreateIdentityUseCase(challenges, writer, { serverGroup: config.DIRECTORY_SERVER_GROUP }),
        },
        {
          provide: SetFeatureMaskUseCase,
          inject: [ChallengeService, PrismaIdentityRepository, PrismaIdentityWriter],
          useFactory: (
            challenges: ChallengeService,
            identities: PrismaIdentityRepository,
            writer: PrismaIdentityWriter,
          ) => new SetFeatureMaskUseCase(challenges, identities, writer),
        },
        {
          provide: RecordLoginsUseCase,
          inject: [PrismaIdentityWriter],
          useFactory: (writer: PrismaIdentityWriter) => new RecordLoginsUseCase(writer),
        },
        {
          provide: GetInventoryUseCase,
          inject: [PrismaInventoryReader],
          useFactory: (reader: PrismaInventoryReader) => new GetInventoryUseCase(reader),
        },
        {
          provide: StreamLinkedHashesUseCase,
          inject: [PrismaInventoryReader],
          useFactory: (reader: PrismaInventoryReader) => new StreamLinkedHashesUseCase(reader),
        },
        {
          provide: SignedCallVerifier,
          inject: [ChallengeService, PrismaIdentityRepository],
          useFactory: (challenges: ChallengeService, identities: PrismaIdentityRepository) =>
            new SignedCallVerifier(challenges, identities),
        },
        {
          provide: SetRevocationKeyUseCase,
          inject: [SignedCallVerifier, PrismaRevocationStore],
          useFactory: (signed: SignedCallVerifier, store: PrismaRevocationStore) =>
            new SetRevocationKeyUseCase(signed, store),
        },
        {
          provide: CheckRevocationKeyUseCase,
          inject: [SignedCallVerifier, PrismaRevocationStore],
          useFactory: (signed: SignedCallVerifier, store: PrismaRevocationStore) =>
            new CheckRevocationKeyUseCase(signed, store),
        },
        {
          provide: RevokeIdentityUseCase,
          inject: [SignedCallVerifier, PrismaRevocationStore, NatsDirectoryEvents],
          useFactory: (
            signed: SignedCallVerifier,
            store: PrismaRevocationStore,
            events: NatsDirectoryEvents,
          ) => new RevokeIdentityUseCase(signed, store, events),
        },
        DirectoryGrpcServer,
      ],
    };
  }
}
