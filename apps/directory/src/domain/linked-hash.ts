import type { IdentityRecord } from '@ots/directory-db';

/** The two kinds of contact hash (spec §4.4); the numbers are directory.v1 HashKind. */
export enum HashKind {
  Email = 1,
  MobileNo = 2,
}

/**
 * One verified link: its spec §4.4 HMAC-SHA256 hash and the identity it belongs to (only what contact-sync needs:
 * the snapshot reads nothing more per row, docs/adr/0025).
 */
export interface LinkedHashEntry {
  readonly kind: HashKind;
  readonly hash: Uint8Array;
  readonly identity: Pick<IdentityRecord, 'id' | 'publicKey' | 'state'>;
}

/** A link started but not yet verified: only the hash of what is being linked is kept. */
export interface PendingLinkSummary {
  readonly kind: HashKind;
  readonly hash: Uint8Array;
  readonly expiresAt: Date;
}
