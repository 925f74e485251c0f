import { Metadata } from '@grpc/grpc-js';
import { memzero, x25519HSalsa20 } from '@ots/crypto';
import type { DirectoryClient } from '@ots/internal-clients';
import { TickBatcher } from '@ots/service-kit';

import { type IdentityDirectory, type IdentityInfo, ReceiverState } from '../domain/ports';
import { type IdentityReplica, STATE_FROM_CONTRACT } from './identity-replica';

export interface IdentityCacheOptions {
  /** how long a known identity's key and state are trusted (revocations arrive as events before that) */
  readonly ttlMs: number;
  /** how long "unknown" is remembered (a new identity becomes reachable after at most this) */
  readonly unknownTtlMs: number;
  readonly maxEntries: number;
  readonly deadlineMs: number;
}

interface Entry {
  readonly info: IdentityInfo;
  readonly expiresAt: number;
}

interface SharedSecret {
  /** a copy: a key from the replica is a view into its table, which a kept view would hold in memory */
  readonly publicKey: Uint8Array;
  readonly secret: Uint8Array;
}

const UNKNOWN: IdentityInfo = { state: ReceiverState.Unknown, publicKey: new Uint8Array(0) };
const MAX_IDS_PER_CALL = 1000;
/**
 * GetIdentities calls under way at once; misses beyond wait for one to finish and go out together. In a login
 * storm with a cold cache (bench:mailbox logins) calls carried about 4 identities each rather than 3 (with at most
 * one under way, 5 to 6, but then one slow call would hold up every other first login). A lone miss still leaves
 * at once.
 */
const MAX_CALLS_IN_FLIGHT = 2;
/**
 * A miss waits this long for others before its call goes out (a first login, or the first message to a receiver
 * in a minute). In bench:mailbox logins with a cold cache, alternating: about 7 identities per call rather than 4,
 * the directory's CPU per login 0.12–0.16 ms rather than 0.14–0.26 and the mailbox's 0.49–0.58 rather than
 * 0.53–0.68.
 */
const LOOKUP_WINDOW_MS = 3;

/**
 * The directory as the chat server needs it, off the per-message hot path: the replica answers for the identities
 * it holds (docs/adr/0030); other answers are cached, and look-ups that miss the cache within a few milliseconds
 * (or while the calls under way are at their limit) go to the directory together in one GetIdentities call.
 */
export class DirectoryIdentityCache implements IdentityDirectory {
  private readonly entries = new Map<string, Entry>();
  /** SS1 per identity that logged in, at most maxEntries of them */
  private readonly sharedSecrets = new Map<string, SharedSecret>();
  private readonly misses = new TickBatcher<string, IdentityInfo>(
    (ids) => this.fetch(ids),
    MAX_IDS_PER_CALL,
    () => UNKNOWN,
    { maxInFlight: MAX_CALLS_IN_FLIGHT, lingerMs: LOOKUP_WINDOW_MS },
  );

  constructor(
    private readonly client: DirectoryClient,
    private readonly serverSecretKey: Uint8Array,
    private readonly options: IdentityCacheOptions,
    private readonly now: () => number = Date.now,
    private readonly replica?: IdentityReplica,
  ) {}

  lookup(identity: string): Promise<IdentityInfo> {
    const replicated = this.replica?.get(identity);
    if (replicated) return Promise.resolve(replicated);
    const entry = this.entries.get(identity);
    if (entry && entry.expiresAt > this.now()) return Promise.resolve(entry.info);
    return this.misses.get(identity);
  }

  permanentSharedSecret(identity: string, publicKey: Uint8Array): Uint8Array {
    const known = this.sharedSecrets.get(identity);
    if (known && Buffer.from(known.publicKey).equals(Buffer.from(publicKey))) return known.secret;
    const secret = x25519HSalsa20(this.serverSecretKey, publicKey);
    this.forgetSharedSecret(identity);
    if (this.sharedSecrets.size >= this.options.maxEntries) {
      const oldest = this.sharedSecrets.keys().next();
      if (!oldest.done) this.forgetSharedSecret(oldest.value);
    }
    this.sharedSecrets.set(identity, { publicKey: new Uint8Array(publicKey), secret });
    return secret;
  }

  forget(identity: string): void {
    this.forgetSharedSecret(identity);
    this.entries.delete(identity);
  }

  private forgetSharedSecret(identity: string): void {
    const known = this.sharedSecrets.get(identity);
    if (known === undefined) return;
    memzero(known.secret);
    this.sharedSecrets.delete(identity);
  }

  private fetch(ids: string[]): Promise<Map<string, IdentityInfo>> {
    return new Promise((resolve, reject) => {
      const deadline = new Date(this.now() + this.options.deadlineMs);
      this.client.getIdentities({ identities: ids }, new Metadata(), { deadline }, (error, response) => {
        if (error) {
          reject(error);
          return;
        }
        const now = this.now();
        const infos = new Map<string, IdentityInfo>();
        for (const identity of response.identities) {
          // a copy: the decoded key is a view into the whole response, which a cached view would keep alive
          // (about a kilobyte per cached identity, measured with bench:mailbox idle)
          const info = {
            state: STATE_FROM_CONTRACT[identity.state],
            publicKey: new Uint8Array(identity.publicKey),
          };
          infos.set(identity.identity, info);
          this.remember(identity.identity, { info, expiresAt: now + this.options.ttlMs });
        }
        for (const unknown of response.unknown) {
          this.remember(unknown, { info: UNKNOWN, expiresAt: now + this.options.unknownTtlMs });
        }
        resolve(infos);
      });
    });
  }

  private remember(identity: string, entry: Entry): void {
    if (this.entries.has(identity)) {
      this.entries.delete(identity);
    } else if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(identity, entry);
  }
}
