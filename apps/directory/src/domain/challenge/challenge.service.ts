import {
  blake2b256,
  constantTimeEqual,
  CryptoError,
  directoryChallengeResponse,
  generateX25519KeyPair,
  memzero,
  randomBytes,
  x25519HSalsa20,
  type X25519KeyPair,
} from '@ots/crypto';

import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import { canonicalJson, type ChallengeData } from './canonical-json';

/** Tokens are 32 bytes: 0xff ‖ 31 random bytes (spec §4.2: 0xff is the E2E type clients discard). */
export const CHALLENGE_TOKEN_LENGTH = 32;
const TOKEN_PREFIX = 0xff;
export const DEFAULT_CHALLENGE_TTL_MS = 60_000;
export const DEFAULT_MAX_PENDING_CHALLENGES = 100_000;

/** What phase 1 of a signed call answers (spec §4.2): `token` and `tokenRespKeyPub` (CPK.public). */
export interface IssuedChallenge {
  readonly token: Uint8Array;
  readonly tokenRespKeyPub: Uint8Array;
}

/** The data a token is bound to: the endpoint and the request fields the action acts on. */
export interface ChallengeBinding {
  readonly purpose: string;
  readonly data: ChallengeData;
}

export interface ChallengeServiceOptions {
  readonly ttlMs?: number;
  readonly maxPending?: number;
  readonly now?: () => number;
  readonly generateKeyPair?: () => X25519KeyPair;
  readonly generateToken?: () => Uint8Array;
}

interface PendingChallenge {
  readonly bindingHash: Uint8Array;
  readonly expiresAt: number;
  readonly keyPair: X25519KeyPair;
}

/** A token taken out of the pending set: it can be checked once against the signer's public key. */
export interface ConsumedChallenge {
  /** spec §4.2: response = BLAKE2b(key = BLAKE2b(X25519HSalsa20(CPK.secret, CK.public), "dir", "3ma-csp"), token). */
  verifyResponse(publicKey: Uint8Array, response: Uint8Array): boolean;
}

/**
 * Single-use, expiring challenges of the two-phase directory calls (spec §4.2), held in memory only. Each
 * challenge has its own X25519 key pair (CPK); the secret half never leaves this class and is erased once the
 * token is used, expires or is evicted. When full, the oldest challenge gives way.
 */
export class ChallengeService {
  private readonly pending = new Map<string, PendingChallenge>();
  private readonly ttlMs: number;
  private readonly maxPending: number;
  private readonly now: () => number;
  private readonly generateKeyPair: () => X25519KeyPair;
  private readonly generateToken: () => Uint8Array;

  constructor(options: ChallengeServiceOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CHALLENGE_TTL_MS;
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING_CHALLENGES;
    this.now = options.now ?? Date.now;
    this.generateKeyPair = options.generateKeyPair ?? generateX25519KeyPair;
    this.generateToken = options.generateToken ?? randomToken;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  issue(binding: ChallengeBinding): IssuedChallenge {
    this.dropExpired();
    while (this.pending.size >= this.maxPending) this.dropOldest();
    const token = this.generateToken();
    const keyPair = this.generateKeyPair();
    this.pending.set(tokenKey(token), {
      bindingHash: hashBinding(binding),
      expiresAt: this.now() + this.ttlMs,
      keyPair,
    });
    return { token, tokenRespKeyPub: keyPair.publicKey };
  }

  /**
   * Takes the token out of the pending set whether or not what follows succeeds, so a token is tried at most
   * once. Throws InvalidToken for an unknown, expired or reused token and for one issued for other data.
   */
  consume(binding: ChallengeBinding, token: Uint8Array): ConsumedChallenge {
    const key = tokenKey(token);
    const pending = this.pending.get(key);
    if (pending === undefined) throw invalidToken('unknown, used or expired token');
    this.pending.delete(key);
    if (pending.expiresAt <= this.now()) {
      memzero(pending.keyPair.secretKey);
      throw invalidToken('unknown, used or expired token');
    }
    if (!constantTimeEqual(pending.bindingHash, hashBinding(binding))) {
      memzero(pending.keyPair.secretKey);
      throw invalidToken('token was issued for another request');
    }
    let used = false;
    return {
      verifyResponse: (publicKey, response) => {
        if (used) return false;
        used = true;
        try {
          const shared = x25519HSalsa20(pending.keyPair.secretKey, publicKey);
          const expected = directoryChallengeResponse(shared, token);
          memzero(shared);
          return constantTimeEqual(expected, response);
        } catch (error) {
          // a low-order public key cannot have signed anything
          if (error instanceof CryptoError) return false;
          throw error;
        } finally {
          memzero(pending.keyPair.secretKey);
        }
      },
    };
  }

  private dropExpired(): void {
    const now = this.now();
    // insertion order is issue order and the TTL is fixed, so expired entries sit at the front
    for (const [key, pending] of this.pending) {
      if (pending.expiresAt > now) break;
      this.pending.delete(key);
      memzero(pending.keyPair.secretKey);
    }
  }

  private dropOldest(): void {
    const oldest = this.pending.entries().next();
    if (oldest.done === true) return;
    const [key, pending] = oldest.value;
    this.pending.delete(key);
    memzero(pending.keyPair.secretKey);
  }
}

function randomToken(): Uint8Array {
  const token = randomBytes(CHALLENGE_TOKEN_LENGTH);
  token[0] = TOKEN_PREFIX;
  return token;
}

function tokenKey(token: Uint8Array): string {
  return Buffer.from(token.buffer, token.byteOffset, token.byteLength).toString('base64');
}

function hashBinding(binding: ChallengeBinding): Uint8Array {
  return blake2b256(Buffer.from(`${binding.purpose}\n${canonicalJson(binding.data)}`, 'utf8'));
}

function invalidToken(message: string): DirectoryError {
  return new DirectoryError(DirectoryErrorCode.InvalidToken, message);
}
