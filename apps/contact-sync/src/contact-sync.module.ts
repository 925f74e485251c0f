import { type DynamicModule, Module } from '@nestjs/common';
import { directoryV1 } from '@ots/contracts';
import { DIRECTORY_CLIENT, type DirectoryClient, DirectoryClientModule } from '@ots/internal-clients';
import { serviceCoreModules, type ServiceRuntime } from '@ots/service-kit';

import { CONTACT_SYNC_CONFIG, type ContactSyncConfig } from './config';
import { ContactMatchUseCase } from './domain/contact-match.usecase';
import { ContactSyncController } from './http/contact-sync.controller';
import { MatchScratch } from './http/match-scratch';
import { ContactSyncMetrics } from './infrastructure/contact-sync-metrics';
import { DirectoryIndexSync } from './infrastructure/directory-index-sync';

/**
 * contact-sync keeps linked hashes in memory only (docs/adr/0020): this module has no database, no repository
 * and no queue. Requests' hashes exist only while the request is handled.
 */
@Module({})
export class ContactSyncModule {
  static forRoot(config: ContactSyncConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: ContactSyncModule,
      imports: [
        ...serviceCoreModules(config, runtime),
        DirectoryClientModule.forRoot(config.DIRECTORY_GRPC_URL),
      ],
      controllers: [ContactSyncController],
      providers: [
        { provide: CONTACT_SYNC_CONFIG, useValue: config },
        ContactSyncMetrics,
        DirectoryIndexSync,
        { provide: MatchScratch, useFactory: () => new MatchScratch() },
        {
          provide: ContactMatchUseCase,
          inject: [DirectoryIndexSync, ContactSyncMetrics, DIRECTORY_CLIENT],
          useFactory: (sync: DirectoryIndexSync, metrics: ContactSyncMetrics, directory: DirectoryClient) =>
            new ContactMatchUseCase(
              sync,
              {
                checkIntervalSeconds: config.CONTACT_SYNC_CHECK_INTERVAL_SECONDS,
                matchTokenTtlMs: config.CONTACT_SYNC_MATCH_TOKEN_TTL_SECONDS * 1000,
                maxHashesPerRequest: config.CONTACT_SYNC_MAX_HASHES_PER_REQUEST,
                hashesPerIdentityPerDay: config.CONTACT_SYNC_HASHES_PER_IDENTITY_PER_DAY,
                requestsPerIdentityPerMinute: config.CONTACT_SYNC_REQUESTS_PER_IDENTITY_PER_MINUTE,
              },
              (identity) => lookupPublicKey(directory, identity),
              (count) => {
                metrics.recordMatches(count);
              },
            ),
        },
      ],
    };
  }
}

function lookupPublicKey(directory: DirectoryClient, identity: string): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    directory.getIdentities({ identities: [identity] }, (error, response) => {
      if (error !== null) {
        reject(error);
        return;
      }
      const found = response.identities.find((entry) => entry.identity === identity);
      resolve(
        found === undefined || found.state === directoryV1.IdentityState.IDENTITY_STATE_REVOKED
          ? undefined
          : found.publicKey,
      );
    });
  });
}
