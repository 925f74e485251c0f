import { constantTimeEqual } from '@ots/crypto';

import type { ChallengeBinding } from '../challenge/challenge.service';
import type { DirectoryEvents } from '../directory-events';
import type { HashKind } from '../linked-hash';
import type { SignedCallVerifier } from '../signed-call';
import type { ChallengeAnswer, ChallengeIssued } from '../signed-request';
import type { LinkStore } from './link-ports';

/** Phase 1 when nothing is to be done: the requested link (or unlink) is already in place. */
export interface AlreadyLinked {
  readonly kind: 'linked';
}

export type LinkChallenge = ChallengeIssued & { readonly linked: false };

export interface LinkRequest {
  readonly identity: string;
  readonly kind: HashKind;
  /** spec §4.4 hash of the address or number; null = unlink */
  readonly hash: Uint8Array | null;
  readonly binding: ChallengeBinding;
}

/**
 * The signed part of identity/link_email and identity/link_mobileno (spec §4.3): phase 1 says whether the link is
 * already in place (`linked`), else issues a challenge; phase 2 unlinks at once for an empty value, or tells the
 * caller to send a verification.
 */
export class LinkFlow {
  constructor(
    private readonly signed: SignedCallVerifier,
    private readonly store: LinkStore,
    private readonly events: DirectoryEvents,
  ) {}

  async phaseOne(request: LinkRequest): Promise<AlreadyLinked | LinkChallenge> {
    await this.signed.activeIdentity(request.identity);
    if (await this.isInPlace(request)) return { kind: 'linked' };
    return { ...(await this.signed.challenge(request.identity, request.binding)), linked: false };
  }

  /** 'done' when nothing more is needed (unlinked, or already linked), 'verify' when a verification must go out. */
  async phaseTwo(request: LinkRequest, answer: ChallengeAnswer): Promise<'done' | 'verify'> {
    await this.signed.verify(request.identity, request.binding, answer);
    if (request.hash === null) {
      const removed = await this.store.unlink(request.identity, request.kind);
      if (removed !== null) this.events.hashUnlinked(request.identity, request.kind, removed);
      return 'done';
    }
    return (await this.isInPlace(request)) ? 'done' : 'verify';
  }

  private async isInPlace(request: LinkRequest): Promise<boolean> {
    const current = await this.store.linkedHash(request.identity, request.kind);
    if (request.hash === null) return current === null;
    return current !== null && constantTimeEqual(current, request.hash);
  }
}
