import { type DynamicModule, Module } from '@nestjs/common';
import { serviceCoreModules, type ServiceRuntime } from '@ots/service-kit';

import { DIRECTORY_CONFIG, type DirectoryConfig } from './config';
import { ChallengeService } from './domain/challenge/challenge.service';
import { CheckIdentitiesUseCase } from './domain/check-identities/check-identities.usecase';
import { CreateIdentityUseCase } from './domain/create-identity/create-identity.usecase';
import { FetchIdentitiesUseCase } from './domain/fetch-identities/fetch-identities.usecase';
import { FetchPrivateUseCase } from './domain/fetch-private/fetch-private.usecase';
import type { IdentityLookup } from './domain/get-identities/get-identities.usecase';
import { GetIdentitiesUseCase } from './domain/get-identities/get-identities.usecase';
import { GetInventoryUseCase } from './domain/get-inventory/get-inventory.usecase';
import { LinkEmailUseCase } from './domain/link/link-email.usecase';
import { LinkFlow } from './domain/link/link-flow';
import { LinkMobileNoUseCase } from './domain/link/link-mobile-no.usecase';
import { LinkVerification } from './domain/link/link-verification';
import { RecordLoginsUseCase } from './domain/record-logins/record-logins.usecase';
import {
  CheckRevocationKeyUseCase,
  RevokeIdentityUseCase,
  SetRevocationKeyUseCase,
} from './domain/revocation/revocation.usecases';
import { SetFeatureMaskUseCase } from './domain/set-feature-mask/set-feature-mask.usecase';
import { SignedCallVerifier } from './domain/signed-call';
import { StreamIdentitiesUseCase } from './domain/stream-identities/stream-identities.usecase';
import { StreamLinkedHashesUseCase } from './domain/stream-linked-hashes/stream-linked-hashes.usecase';
import { RegisterSystemIdentitiesUseCase } from './domain/system-identities/system-identities';
import { DirectoryGrpcServer } from './grpc/directory-grpc.server';
import { DIRECTORY_HTTP_CONTROLLERS } from './http/controllers';
import { API_VERSION, DOCUMENTED_CONTROLLERS } from './http/openapi.controller';
import { DirectoryRateLimitGuard, DirectoryRateLimits } from './http/rate-limit.guard';
import { BatchingIdentityLookup } from './infrastructure/batching-identity-lookup';
import { DirectoryDatabase } from './infrastructure/directory-database';
import { DirectoryMetrics } from './infrastructure/directory-metrics';
import { HttpSmsGateway } from './infrastructure/http-sms-gateway';
import { NatsDirectoryEvents } from './infrastructure/nats-directory-events';
import { PgIdentityLookup } from './infrastructure/pg-identity-lookup';
import { PgIdentityReader } from './infrastructure/pg-identity-reader';
import { PgLinkedHashReader } from './infrastructure/pg-linked-hash-reader';
import { PrismaIdentityWriter } from './infrastructure/prisma-identity-writer';
import { PrismaInventoryReader } from './infrastructure/prisma-inventory-reader';
import { PrismaLinkStore } from './infrastructure/prisma-link-store';
import { PrismaRevocationStore } from './infrastructure/prisma-revocation-store';
import { PrismaSystemIdentityStore } from './infrastructure/prisma-system-identity-store';
import { SmtpVerificationMailer } from './infrastructure/smtp-verification-mailer';
import { SystemIdentitiesBootstrap } from './system-identities.bootstrap';

/** The identity look-up every use case reads through (BatchingIdentityLookup over PgIdentityLookup). */
const IDENTITY_LOOKUP = Symbol('IDENTITY_LOOKUP');

@Module({})
export class DirectoryModule {
  static forRoot(config: DirectoryConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: DirectoryModule,
      imports: [...serviceCoreModules(config, runtime)],
      controllers: [...DIRECTORY_HTTP_CONTROLLERS],
      providers: [
        DirectoryRateLimits,
        DirectoryMetrics,
        { provide: DOCUMENTED_CONTROLLERS, useValue: DIRECTORY_HTTP_CONTROLLERS },
        { provide: API_VERSION, useValue: runtime.version },
        DirectoryRateLimitGuard,
        { provide: DIRECTORY_CONFIG, useValue: config },
        DirectoryDatabase,
        PrismaIdentityWriter,
        {
          // every look-up goes through one coalescing front (BatchingIdentityLookup) over the prepared statement
          provide: IDENTITY_LOOKUP,
          inject: [DirectoryDatabase],
          useFactory: (database: DirectoryDatabase) =>
            new BatchingIdentityLookup(new PgIdentityLookup(database)),
        },
        PrismaInventoryReader,
        PgLinkedHashReader,
        PgIdentityReader,
        PrismaRevocationStore,
        NatsDirectoryEvents,
        PrismaLinkStore,
        SmtpVerificationMailer,
        HttpSmsGateway,
        // one per process: pending challenges live in memory (docs/adr/0007-directory-challenges.md)
        { provide: ChallengeService, useFactory: () => new ChallengeService() },
        {
          provide: GetIdentitiesUseCase,
          inject: [IDENTITY_LOOKUP],
          useFactory: (identities: IdentityLookup) => new GetIdentitiesUseCase(identities),
        },
        {
          provide: FetchIdentitiesUseCase,
          inject: [IDENTITY_LOOKUP],
          useFactory: (identities: IdentityLookup) => new FetchIdentitiesUseCase(identities),
        },
        {
          provide: CheckIdentitiesUseCase,
          inject: [IDENTITY_LOOKUP],
          useFactory: (identities: IdentityLookup) => new CheckIdentitiesUseCase(identities),
        },
        {
          provide: CreateIdentityUseCase,
          inject: [ChallengeService, PrismaIdentityWriter, NatsDirectoryEvents],
          useFactory: (
            challenges: ChallengeService,
            writer: PrismaIdentityWriter,
            events: NatsDirectoryEvents,
          ) =>
            new CreateIdentityUseCase(challenges, writer, events, {
              serverGroup: config.DIRECTORY_SERVER_GROUP,
            }),
        },
        {
          provide: SetFeatureMaskUseCase,
          inject: [ChallengeService, IDENTITY_LOOKUP, PrismaIdentityWriter],
          useFactory: (
            challenges: ChallengeService,
            identities: IdentityLookup,
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
          inject: [PgLinkedHashReader],
          useFactory: (reader: PgLinkedHashReader) => new StreamLinkedHashesUseCase(reader),
        },
        {
          provide: StreamIdentitiesUseCase,
          inject: [PgIdentityReader],
          useFactory: (reader: PgIdentityReader) => new StreamIdentitiesUseCase(reader),
        },
        {
          provide: SignedCallVerifier,
          inject: [ChallengeService, IDENTITY_LOOKUP],
          useFactory: (challenges: ChallengeService, identities: IdentityLookup) =>
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
        {
          provide: FetchPrivateUseCase,
          inject: [SignedCallVerifier],
          useFactory: (signed: SignedCallVerifier) => new FetchPrivateUseCase(signed),
        },
        {
          provide: LinkFlow,
          inject: [SignedCallVerifier, PrismaLinkStore, NatsDirectoryEvents],
          useFactory: (signed: SignedCallVerifier, store: PrismaLinkStore, events: NatsDirectoryEvents) =>
            new LinkFlow(signed, store, events),
        },
        {
          provide: LinkVerification,
          inject: [PrismaLinkStore, NatsDirectoryEvents],
          useFactory: (store: PrismaLinkStore, events: NatsDirectoryEvents) =>
            new LinkVerification(store, events),
        },
        {
          provide: LinkEmailUseCase,
          inject: [LinkFlow, PrismaLinkStore, SmtpVerificationMailer, LinkVerification],
          useFactory: (
            flow: LinkFlow,
            store: PrismaLinkStore,
            mailer: SmtpVerificationMailer,
            verification: LinkVerification,
          ) =>
            new LinkEmailUseCase(flow, store, mailer, verification, {
              publicUrl: config.DIRECTORY_PUBLIC_URL,
              ttlMs: config.DIRECTORY_EMAIL_VERIFICATION_TTL_S * 1000,
            }),
        },
        {
          // one per process: the number for the optional verification call is held in its memory
          provide: LinkMobileNoUseCase,
          inject: [LinkFlow, PrismaLinkStore, HttpSmsGateway, LinkVerification],
          useFactory: (
            flow: LinkFlow,
            store: PrismaLinkStore,
            sms: HttpSmsGateway,
            verification: LinkVerification,
          ) =>
            new LinkMobileNoUseCase(flow, store, sms, verification, {
              ttlMs: config.DIRECTORY_SMS_VERIFICATION_TTL_S * 1000,
            }),
        },
        PrismaSystemIdentityStore,
        {
          provide: RegisterSystemIdentitiesUseCase,
          inject: [PrismaSystemIdentityStore],
          useFactory: (store: PrismaSystemIdentityStore) =>
            new RegisterSystemIdentitiesUseCase(store, config.DIRECTORY_SERVER_GROUP),
        },
        SystemIdentitiesBootstrap,
        DirectoryGrpcServer,
      ],
    };
  }
}
