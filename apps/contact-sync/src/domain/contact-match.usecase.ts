import type { HashIndex, IndexMatches, PackedHashes } from '@ots/contact-sync-index';
import { SlidingWindowLimiter } from '@ots/rate-limit';

import { MatchTokenChallenges, MatchTokens } from './challenges';
import { ContactSyncError, ContactSyncErrorCode } from './contact-sync-error';

export interface ContactMatchSettings {
  readonly checkIntervalSeconds: number;
  readonly matchTokenTtlMs: number;
  readonly maxHashesPerRequest: number;
  readonly hashesPerIdentityPerDay: number;
  readonly requestsPerIdentityPerMinute: number;
  readonly now?: () => number;
}

export type MatchTokenResult =
  | { readonly kind: 'challenge'; readonly token: Uint8Array; readonly tokenRespKeyPub: Uint8Array }
  | { readonly kind: 'token'; readonly matchToken: string };

export interface MatchResult {
  /** the caller's scratch, now holding the matched identities */
  readonly identities: IndexMatches;
  readonly checkInterval: number;
}

/** Readiness of the index: matching before it is loaded and caught up would answer wrong "no match"es. */
export interface IndexState {
  readonly index: HashIndex;
  readonly ready: boolean;
}

/**
 * identity/match_token and identity/match (spec §4.3) against the in-memory index. Nothing is persisted: the
 * hashes of a request live only as long as the request. Limits are per identity (anti-enumeration).
 */
export class ContactMatchUseCase {
  private readonly challenges: MatchTokenChallenges;
  private readonly tokens: MatchTokens;
  private readonly requestsPerMinute: SlidingWindowLimiter;
  private readonly hashesPerDay: SlidingWindowLimiter;

  constructor(
    private readonly state: IndexState,
    private readonly settings: ContactMatchSettings,
    /** the identity's public key when the index has none (an identity without linked hashes); undefined = unknown */
    private readonly lookupPublicKey: (identity: string) => Promise<Uint8Array | undefined>,
    private readonly onMatches: (count: number) => void = () => undefined,
  ) {
    const now = settings.now ?? Date.now;
    this.challenges = new MatchTokenChallenges(60_000, 100_000, now);
    this.tokens = new MatchTokens(settings.matchTokenTtlMs, 100_000, now);
    this.requestsPerMinute = new SlidingWindowLimiter(
      { limit: settings.requestsPerIdentityPerMinute, windowMs: 60_000 },
      100_000,
      now,
    );
    this.hashesPerDay = new SlidingWindowLimiter(
      { limit: settings.hashesPerIdentityPerDay, windowMs: 86_400_000 },
      100_000,
      now,
    );
  }

  async matchToken(request: {
    identity: string;
    token?: Uint8Array;
    response?: Uint8Array;
  }): Promise<MatchTokenResult> {
    this.ensureReady();
    this.limitRequests(request.identity);
    if (request.token === undefined || request.response === undefined) {
      const issued = this.challenges.issue(request.identity);
      return { kind: 'challenge', ...issued };
    }
    let publicKey = this.state.index.publicKeyOf(request.identity);
    if (publicKey === undefined) {
      try {
        publicKey = await this.lookupPublicKey(request.identity);
      } catch {
        throw new ContactSyncError(ContactSyncErrorCode.NotReady, 'directory unavailable', 5);
      }
    }
    if (publicKey === undefined) {
      throw new ContactSyncError(ContactSyncErrorCode.UnknownIdentity, 'unknown or revoked identity');
    }
    if (!this.challenges.verify(request.identity, request.token, request.response, publicKey)) {
      throw new ContactSyncError(
        ContactSyncErrorCode.InvalidToken,
        'unknown, expired or wrong token/response',
      );
    }
    return { kind: 'token', matchToken: this.tokens.issue(request.identity) };
  }

  /**
   * Matches the request's hashes into `into`, scratch the caller owns and clears once the answer is encoded
   * (the hashes and what they matched must not outlive the request).
   */
  match(
    request: {
      matchToken?: string;
      emailHashes: PackedHashes;
      mobileNoHashes: PackedHashes;
      includeInactive: boolean;
    },
    into: IndexMatches,
  ): MatchResult {
    const count = request.emailHashes.count + request.mobileNoHashes.count;
    if (count > this.settings.maxHashesPerRequest) {
      throw new ContactSyncError(
        ContactSyncErrorCode.TooManyHashes,
        `at most ${this.settings.maxHashesPerRequest} hashes per request`,
      );
    }
    if (request.matchToken === undefined) {
      throw new ContactSyncError(ContactSyncErrorCode.InvalidToken, 'matchToken is required');
    }
    const identity = this.tokens.identityOf(request.matchToken);
    if (identity === undefined) {
      throw new ContactSyncError(ContactSyncErrorCode.InvalidToken, 'unknown or expired matchToken');
    }
    this.ensureReady();
    this.limitRequests(identity);
    const daily = this.hashesPerDay.consume(identity, Math.max(1, count));
    if (!daily.allowed) {
      throw new ContactSyncError(
        ContactSyncErrorCode.RateLimited,
        'daily hash limit',
        daily.retryAfterSeconds,
      );
    }
    this.state.index.matchInto(request.emailHashes, request.mobileNoHashes, request.includeInactive, into);
    this.onMatches(into.length);
    return { identities: into, checkInterval: this.settings.checkIntervalSeconds };
  }

  private ensureReady(): void {
    if (!this.state.ready) {
      throw new ContactSyncError(ContactSyncErrorCode.NotReady, 'index is loading', 5);
    }
  }

  private limitRequests(identity: string): void {
    const decision = this.requestsPerMinute.consume(identity);
    if (!decision.allowed) {
      throw new ContactSyncError(
        ContactSyncErrorCode.RateLimited,
        'request limit',
        decision.retryAfterSeconds,
      );
    }
  }
}
