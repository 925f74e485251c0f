import {
  constantTimeEqual,
  CryptoError,
  directoryChallengeResponse,
  generateX25519KeyPair,
  memzero,
  randomBytes,
  x25519HSalsa20,
  type X25519KeyPair,
} from '@ots/crypto';

/**
 * Single-use, expiring challenges for `identity/match_token` (spec §4.2), in memory only. A token is bound to
 * the identity it was issued for; its key pair's secret half is erased once used, expired or evicted.
 */
export interface IssuedChallenge {
  readonly token: Uint8Array;
  readonly tokenRespKeyPub: Uint8Array;
}

interface Pending {
  readonly identity: string;
  readonly expiresAt: number;
  readonly keyPair: X25519KeyPair;
}

export class MatchTokenChallenges {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxPending = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  issue(identity: string): IssuedChallenge {
    const now = this.now();
    for (const [k, p] of this.pending) {
      if (p.expiresAt > now && this.pending.size < this.maxPending) break;
      this.pending.delete(k);
      memzero(p.keyPair.secretKey);
    }
    const token = randomBytes(32);
    token[0] = 0xff;
    const keyPair = generateX25519KeyPair();
    this.pending.set(Buffer.from(token).toString('base64'), {
      identity,
      expiresAt: now + this.ttlMs,
      keyPair,
    });
    return { token, tokenRespKeyPub: keyPair.publicKey };
  }

  /** True only for a known, unexpired token of this identity answered with its secret key; a token is tried once. */
  verify(identity: string, token: Uint8Array, response: Uint8Array, publicKey: Uint8Array): boolean {
    const k = Buffer.from(token).toString('base64');
    const pending = this.pending.get(k);
    if (pending === undefined) return false;
    this.pending.delete(k);
    try {
      if (pending.expiresAt <= this.now() || pending.identity !== identity) return false;
      const shared = x25519HSalsa20(pending.keyPair.secretKey, publicKey);
      const expected = directoryChallengeResponse(shared, token);
      memzero(shared);
      return constantTimeEqual(expected, response);
    } catch (error) {
      if (error instanceof CryptoError) return false;
      throw error;
    } finally {
      memzero(pending.keyPair.secretKey);
    }
  }
}

/** Match tokens: random, bound to one identity, expiring; in memory only. */
export class MatchTokens {
  private readonly tokens = new Map<string, { identity: string; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxTokens = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(identity: string): string {
    const now = this.now();
    for (const [k, t] of this.tokens) {
      if (t.expiresAt > now && this.tokens.size < this.maxTokens) break;
      this.tokens.delete(k);
    }
    const token = Buffer.from(randomBytes(24)).toString('base64url');
    this.tokens.set(token, { identity, expiresAt: now + this.ttlMs });
    return token;
  }

  /** The identity the token was issued to, or undefined when unknown or expired. */
  identityOf(token: string): string | undefined {
    const entry = this.tokens.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return entry.identity;
  }
}
