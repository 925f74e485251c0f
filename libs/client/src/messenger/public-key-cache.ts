import type { DirectoryIdentity } from '../directory/directory-types';
import { MessengerError, MessengerErrorCode } from './messenger-error';

/** Where the Messenger gets peers' public keys. */
export interface PublicKeyLookup {
  publicKeyOf(identity: string): Promise<Uint8Array>;
}

/** The part of DirectoryClient the cache needs. */
export interface IdentityFetcher {
  fetchIdentity(identity: string): Promise<DirectoryIdentity>;
}

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Public keys from the directory, cached for the life of the process (a Threema identity's key never changes). Keys
 * of pinned system identities (from the provisioning file) must match the directory's, else the look-up fails
 * (spec §3: clients pin these keys and abort on a mismatch). Failed look-ups are not cached.
 */
export class PublicKeyCache implements PublicKeyLookup {
  private readonly cache = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly directory: IdentityFetcher,
    private readonly pinned: ReadonlyMap<string, Uint8Array> = new Map(),
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  publicKeyOf(identity: string): Promise<Uint8Array> {
    const cached = this.cache.get(identity);
    if (cached !== undefined) return cached;
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
    const lookup = this.lookUp(identity);
    this.cache.set(identity, lookup);
    lookup.catch(() => this.cache.delete(identity));
    return lookup;
  }

  private async lookUp(identity: string): Promise<Uint8Array> {
    const entry = await this.directory.fetchIdentity(identity);
    const pinned = this.pinned.get(identity);
    if (pinned !== undefined && !Buffer.from(pinned).equals(Buffer.from(entry.publicKey))) {
      throw new MessengerError(
        MessengerErrorCode.PINNED_KEY_MISMATCH,
        'the directory key of a system identity differs from the pinned key of the provisioning file',
      );
    }
    return entry.publicKey;
  }
}
