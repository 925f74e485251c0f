import { constantTimeEqual } from '@ots/crypto';

import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import type { DirectoryEvents } from '../directory-events';
import type { HashKind } from '../linked-hash';
import type { LinkStore, PendingLinkRecord } from './link-ports';
import { verificationSecretHash } from './verification-secret';

/** Wrong codes (or tokens) tried before a pending link is dropped and the user must start again. */
export const MAX_VERIFICATION_ATTEMPTS = 5;

/**
 * The second half of a link, shared by e-mail and phone: the secret from the mail or SMS is checked against the
 * pending row's hash; on success the hash becomes the identity's link and HashLinked is published.
 */
export class LinkVerification {
  constructor(
    private readonly store: LinkStore,
    private readonly events: DirectoryEvents,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The pending link of this kind, if it exists and has not expired (an expired one is deleted). */
  async livePending(id: string, kind: HashKind): Promise<PendingLinkRecord> {
    const pending = await this.store.findPending(id);
    if (pending?.kind !== kind) throw invalidVerification();
    if (pending.expiresAt <= this.now()) {
      await this.store.deletePending(id);
      throw invalidVerification();
    }
    return pending;
  }

  async verify(id: string, kind: HashKind, secret: string): Promise<void> {
    const pending = await this.livePending(id, kind);
    if (!constantTimeEqual(pending.secretHash, verificationSecretHash(id, secret))) {
      await this.store.countFailedAttempt(id, MAX_VERIFICATION_ATTEMPTS);
      throw invalidVerification();
    }
    const linked = await this.store.completeLink(id);
    if (linked === undefined) throw invalidVerification();
    this.events.hashLinked({ kind, hash: pending.hash, identity: linked.identity }, linked.replaced);
  }
}

export function invalidVerification(): DirectoryError {
  return new DirectoryError(DirectoryErrorCode.InvalidVerification, 'unknown, expired or wrong verification');
}

export function verificationUnavailable(what: string): DirectoryError {
  return new DirectoryError(DirectoryErrorCode.VerificationUnavailable, `${what} cannot be sent`);
}
