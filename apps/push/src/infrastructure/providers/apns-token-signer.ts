import type { KeyObject } from 'node:crypto';

import { signJwt } from './jwt';

// Apple: re-sign no more often than every 20 minutes and at least every 60 (spec push-providers §2.3)
export const APNS_MIN_RESIGN_MS = 20 * 60 * 1000;
export const APNS_RESIGN_AFTER_MS = 50 * 60 * 1000;

/**
 * The provider token (ES256 JWT: kid, iss, iat) shared by every request. Its age is derived from its own `iat`,
 * never from a timer started elsewhere (push-providers §6.1); a refresh after 403 ExpiredProviderToken happens
 * once per generation however many requests failed, and never within 20 minutes of the last signature.
 */
export class ApnsTokenSigner {
  private token: { value: string; issuedAtMs: number; generation: number } | undefined;
  private generation = 0;
  signatures = 0;

  constructor(
    private readonly key: KeyObject,
    private readonly keyId: string,
    private readonly teamId: string,
    private readonly now: () => number = Date.now,
  ) {}

  current(): { value: string; generation: number } {
    const token = this.token;
    if (token && this.now() - token.issuedAtMs < APNS_RESIGN_AFTER_MS) return token;
    return this.sign();
  }

  /** After 403 ExpiredProviderToken for `generation`: re-sign if allowed. Returns whether a new token exists. */
  refreshAfterExpired(generation: number): boolean {
    const token = this.token;
    if (token?.generation !== generation) return true;
    if (this.now() - token.issuedAtMs < APNS_MIN_RESIGN_MS) return false;
    this.sign();
    return true;
  }

  private sign(): { value: string; generation: number } {
    const issuedAtMs = this.now();
    const value = signJwt(
      'ES256',
      { kid: this.keyId },
      { iss: this.teamId, iat: Math.floor(issuedAtMs / 1000) },
      this.key,
    );
    this.generation++;
    this.signatures++;
    this.token = { value, issuedAtMs, generation: this.generation };
    return this.token;
  }
}
