import type { IdentitySummary } from './identity-summary';
import type { HashKind, LinkedHashEntry } from './linked-hash';

/**
 * What the directory tells other services after a change has been committed (core NATS, fire-and-forget:
 * contracts in proto/ots/directory/v1/events.proto). Events are idempotent; a lost one is repaired by the
 * receivers' next snapshot (contact-sync, the mailbox's identity replica) or by GetIdentities on the next login
 * (mailbox).
 */
export interface DirectoryEvents {
  identityCreated(identity: IdentitySummary): void;
  identityRevoked(identity: string): void;
  hashLinked(entry: LinkedHashEntry, replacedHash: Uint8Array | null): void;
  hashUnlinked(identity: string, kind: HashKind, hash: Uint8Array): void;
}
