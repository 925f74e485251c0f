import { Injectable, Logger } from '@nestjs/common';
import { DIRECTORY_EVENT_SUBJECTS, directoryEventsV1 } from '@ots/contracts';
import { NatsClient } from '@ots/service-kit';

import type { DirectoryEvents } from '../domain/directory-events';
import type { IdentitySummary } from '../domain/identity-summary';
import type { HashKind, LinkedHashEntry } from '../domain/linked-hash';
import { toContractHashKind, toContractIdentity, toContractLinkedHash } from '../grpc/contract-mapping';

/** Publishes the directory's events on core NATS (subjects in @ots/contracts), after the change committed. */
@Injectable()
export class NatsDirectoryEvents implements DirectoryEvents {
  private readonly logger = new Logger('DirectoryEvents');

  constructor(private readonly nats: NatsClient) {}

  identityCreated(identity: IdentitySummary): void {
    this.publish(
      DIRECTORY_EVENT_SUBJECTS.created,
      directoryEventsV1.IdentityCreated.encode({ identity: toContractIdentity(identity) }).finish(),
    );
  }

  identityRevoked(identity: string): void {
    this.publish(
      DIRECTORY_EVENT_SUBJECTS.revoked,
      directoryEventsV1.IdentityRevoked.encode({ identity }).finish(),
    );
  }

  hashLinked(entry: LinkedHashEntry, replacedHash: Uint8Array | null): void {
    this.publish(
      DIRECTORY_EVENT_SUBJECTS.linked,
      directoryEventsV1.HashLinked.encode({
        entry: toContractLinkedHash(entry),
        replacedHash: Buffer.from(replacedHash ?? new Uint8Array(0)),
      }).finish(),
    );
  }

  hashUnlinked(identity: string, kind: HashKind, hash: Uint8Array): void {
    this.publish(
      DIRECTORY_EVENT_SUBJECTS.unlinked,
      directoryEventsV1.HashUnlinked.encode({
        kind: toContractHashKind(kind),
        hash: Buffer.from(hash),
        identity,
      }).finish(),
    );
  }

  private publish(subject: string, payload: Uint8Array): void {
    try {
      // while reconnecting the client buffers; before the first connection there is nowhere to send
      this.nats.connection.publish(subject, payload);
    } catch (error) {
      // the subject names the event kind, never an identity
      this.logger.warn({ msg: 'directory event not published', subject, err: error });
    }
  }
}
