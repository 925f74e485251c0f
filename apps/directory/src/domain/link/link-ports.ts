import type { IdentityRecord } from '@ots/directory-db';

import type { HashKind } from '../linked-hash';

/** A link waiting for its verification. Holds hashes only: never the address, number, token or code. */
export interface PendingLinkRecord {
  readonly id: string;
  readonly identity: string;
  readonly kind: HashKind;
  /** spec §4.4 hash of the address or number */
  readonly hash: Uint8Array;
  /** verificationSecretHash(id, token or code) */
  readonly secretHash: Uint8Array;
  readonly expiresAt: Date;
  readonly attempts: number;
}

export interface LinkStore {
  linkedHash(identity: string, kind: HashKind): Promise<Uint8Array | null>;
  /** Stores the pending link, replacing any earlier one of the same identity and kind. */
  savePending(pending: Omit<PendingLinkRecord, 'attempts'>): Promise<void>;
  findPending(id: string): Promise<PendingLinkRecord | undefined>;
  deletePending(id: string): Promise<void>;
  /** Counts a wrong code; the pending link is deleted once `maxAttempts` is reached. */
  countFailedAttempt(id: string, maxAttempts: number): Promise<void>;
  /**
   * Atomically: takes the pending link out and stores its hash as the identity's link of that kind. Undefined if
   * the pending link is gone or the identity revoked.
   */
  completeLink(id: string): Promise<{ identity: IdentityRecord; replaced: Uint8Array | null } | undefined>;
  /** Removes the link of that kind (and a pending one); returns the removed hash, null if none was linked. */
  unlink(identity: string, kind: HashKind): Promise<Uint8Array | null>;
}

/** Sends the e-mail that carries the verification link (SMTP in production, spec §4.3 identity/link_email). */
export interface VerificationMailer {
  readonly available: boolean;
  sendEmailVerification(to: string, link: string, lang: string | undefined): Promise<void>;
}

/** Sends the code by SMS or reads it out by a phone call (an HTTP SMS gateway in production). */
export interface SmsGateway {
  readonly available: boolean;
  sendSms(to: string, text: string): Promise<void>;
  placeCall(to: string, text: string): Promise<void>;
}
