import type { HashKind, HashMatch, LinkedHashEntry } from '@ots/contact-sync-index';

/**
 * The index as contact-sync had it before docs/adr/0025 (one Map entry with an object and two small typed
 * arrays per linked hash, keyed by kind + base64): kept only so the bench measures before and after in one run.
 */
function key(kind: HashKind, hash: Uint8Array): string {
  return `${kind}:${Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('base64')}`;
}

export class MapHashIndex {
  private readonly byHash = new Map<string, LinkedHashEntry>();
  /** identity → its hash keys, to drop them on revocation */
  private readonly byIdentity = new Map<string, Set<string>>();

  get size(): number {
    return this.byHash.size;
  }

  link(entry: LinkedHashEntry, replacedHash?: Uint8Array): void {
    if (replacedHash !== undefined && replacedHash.length > 0) {
      this.unlink(entry.kind, replacedHash, entry.identity);
    }
    const k = key(entry.kind, entry.hash);
    const previous = this.byHash.get(k);
    if (previous !== undefined && previous.identity !== entry.identity) {
      this.byIdentity.get(previous.identity)?.delete(k);
    }
    this.byHash.set(k, {
      ...entry,
      hash: Uint8Array.from(entry.hash),
      publicKey: Uint8Array.from(entry.publicKey),
    });
    let keys = this.byIdentity.get(entry.identity);
    if (keys === undefined) {
      keys = new Set();
      this.byIdentity.set(entry.identity, keys);
    }
    keys.add(k);
  }

  /** Removes the hash only while it still belongs to `identity` (events are idempotent and may be stale). */
  unlink(kind: HashKind, hash: Uint8Array, identity: string): void {
    const k = key(kind, hash);
    const current = this.byHash.get(k);
    if (current?.identity !== identity) return;
    this.byHash.delete(k);
    const keys = this.byIdentity.get(identity) ?? new Set<string>();
    keys.delete(k);
    if (keys.size === 0) this.byIdentity.delete(identity);
  }

  revoke(identity: string): void {
    const keys = this.byIdentity.get(identity);
    if (keys === undefined) return;
    for (const k of keys) this.byHash.delete(k);
    this.byIdentity.delete(identity);
  }

  /** The public key of an identity that has at least one linked hash (for the match-token signature). */
  publicKeyOf(identity: string): Uint8Array | undefined {
    const keys = this.byIdentity.get(identity);
    if (keys === undefined) return undefined;
    for (const k of keys) return this.byHash.get(k)?.publicKey;
    return undefined;
  }

  match(
    emailHashes: readonly Uint8Array[],
    mobileNoHashes: readonly Uint8Array[],
    includeInactive: boolean,
  ): HashMatch[] {
    const results = new Map<string, { -readonly [K in keyof HashMatch]: HashMatch[K] }>();
    const collect = (kind: HashKind, hashes: readonly Uint8Array[]) => {
      for (const hash of hashes) {
        const entry = this.byHash.get(key(kind, hash));
        if (entry === undefined || (!entry.active && !includeInactive)) continue;
        let result = results.get(entry.identity);
        if (result === undefined) {
          result = { identity: entry.identity, publicKey: entry.publicKey, active: entry.active };
          results.set(entry.identity, result);
        }
        if (kind === 'email') result.emailHash = entry.hash;
        else result.mobileNoHash = entry.hash;
      }
    };
    collect('email', emailHashes);
    collect('mobileNo', mobileNoHashes);
    return [...results.values()];
  }
}
