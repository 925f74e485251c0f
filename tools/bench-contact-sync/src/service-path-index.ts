import { HashIndex, IndexMatches, type LinkedHashEntry, type PackedHashes } from '@ots/contact-sync-index';

import type { MeasurableIndex } from './index-measure';

/**
 * HashIndex measured as contact-sync uses it: the request's hashes packed back to back (the HTTP layer decodes
 * them that way; packing is done once per query, outside the timed call), the answer written into reused
 * scratch by matchInto() and cleared afterwards, as the controller does.
 */
export class ServicePathHashIndex implements MeasurableIndex {
  private readonly index = new HashIndex();
  private readonly matches = new IndexMatches();
  private readonly packedLists = new WeakMap<readonly Uint8Array[], PackedHashes>();

  get size(): number {
    return this.index.size;
  }

  link(entry: LinkedHashEntry): void {
    this.index.link(entry);
  }

  match(
    emailHashes: readonly Uint8Array[],
    mobileNoHashes: readonly Uint8Array[],
    includeInactive: boolean,
  ): { readonly length: number } {
    this.index.matchInto(
      this.packed(emailHashes),
      this.packed(mobileNoHashes),
      includeInactive,
      this.matches,
    );
    const found = this.matches.length;
    this.matches.clear();
    return { length: found };
  }

  private packed(list: readonly Uint8Array[]): PackedHashes {
    let packed = this.packedLists.get(list);
    if (packed === undefined) {
      packed = { bytes: Buffer.concat(list), count: list.length };
      this.packedLists.set(list, packed);
    }
    return packed;
  }
}
