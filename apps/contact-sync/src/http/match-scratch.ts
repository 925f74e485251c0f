import { IndexMatches, type PackedHashes } from '@ots/contact-sync-index';

const HASH_BYTES = 32;

/** One list of a request's hashes, decoded back to back into a buffer reused from request to request. */
export class HashListScratch implements PackedHashes {
  private store = new Uint8Array(0);
  private used = 0;

  get bytes(): Uint8Array {
    return this.store;
  }

  get count(): number {
    return this.used;
  }

  /** Empties the list (overwriting what it held) and makes room for `count` hashes. */
  reset(count: number): void {
    this.clear();
    if (this.store.length < count * HASH_BYTES) this.store = new Uint8Array(count * HASH_BYTES);
  }

  /** Counts the hash just decoded at bytes[32 × count …). */
  added(): void {
    this.used++;
  }

  /**
   * Overwrites every hash byte written since the last clear: the counted hashes and the one after them, which a
   * decoder may have partly written before it found the item invalid.
   */
  clear(): void {
    this.store.fill(0, 0, Math.min(this.store.length, (this.used + 1) * HASH_BYTES));
    this.used = 0;
  }
}

/**
 * The scratch memory of identity/match, one per process: the request's hashes decoded into one buffer per
 * list, and the index's answer (IndexMatches). Reusing it spares a Buffer, a view and an object per hash per
 * request (allocation the garbage collector paid for in the tail latency). It is safe to share because the
 * controller handles a match synchronously, from decoding to the encoded answer, with no await in between.
 *
 * Privacy (docs/adr/0020, 0025): the hashes must not outlive the request, so the controller calls clear() in a
 * `finally` as soon as the answer is encoded (or the request failed); clear() overwrites every byte the request
 * wrote, which the tests check byte by byte.
 */
export class MatchScratch {
  readonly emailHashes = new HashListScratch();
  readonly mobileNoHashes = new HashListScratch();
  readonly matches = new IndexMatches();

  clear(): void {
    this.emailHashes.clear();
    this.mobileNoHashes.clear();
    this.matches.clear();
  }
}
