/** Hashes of one request, 32 bytes each, back to back: hash n is bytes[32n … 32n + 32) for n < count. */
export interface PackedHashes {
  readonly bytes: Uint8Array;
  readonly count: number;
}

export const HASH_LENGTH = 32;
export const KEY_LENGTH = 32;
export const ID_LENGTH = 8;
const NONE = -1;

/** The smallest power of two ≥ 2 × n (a dedupe table below half load). */
const tableSizeFor = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(16, n * 2)));

/**
 * Reusable scratch for the answer of one match (HashIndex.matchInto): per matched identity, in first-hit order,
 * its 8 ID bytes and 32 public-key bytes (copied out of the index, so the answer does not depend on later index
 * changes), its active flag and which request hash of each kind matched it (a position in the request's packed
 * list, or -1). No object per match: the answer of 1,000 hashes is encoded straight from these arrays.
 *
 * Privacy: which identities a request matched reveals the sender's contacts. The owner of an instance calls
 * clear() as soon as the answer is encoded; clear() overwrites every byte the match wrote (tested).
 */
export class IndexMatches {
  private count = 0;
  private idBytesStore = new Uint8Array(0);
  private publicKeyStore = new Uint8Array(0);
  private actives = new Uint8Array(0);
  private emailAts = new Int32Array(0);
  private mobileNoAts = new Int32Array(0);
  /** the identity record of each match (only to find a match again by its record) */
  private records = new Int32Array(0);
  /** HashIndex's per-hash lookup state (record numbers of the request's hashes) */
  private lookups = new Int32Array(0);
  /** open addressing by identity record: match number + 1, 0 = empty */
  private table = new Int32Array(0);
  private tableMask = 0;

  /** matched identities */
  get length(): number {
    return this.count;
  }

  /** the IDs (8 latin1 bytes each, match i at 8i): valid up to 8 × length; read, never keep */
  get idBytes(): Uint8Array {
    return this.idBytesStore;
  }

  /** the public keys (32 bytes each, match i at 32i): valid up to 32 × length; read, never keep */
  get publicKeys(): Uint8Array {
    return this.publicKeyStore;
  }

  identity(match: number): string {
    return Buffer.from(this.idBytesStore.buffer, match * ID_LENGTH, ID_LENGTH).toString('latin1');
  }

  active(match: number): boolean {
    return this.actives[match] === 1;
  }

  /** position of the matching e-mail hash in the request's list, or -1 */
  emailAt(match: number): number {
    return this.emailAts[match];
  }

  /** position of the matching phone hash in the request's list, or -1 */
  mobileNoAt(match: number): number {
    return this.mobileNoAts[match];
  }

  /** Overwrites everything the last match wrote; the capacity stays for the next request. */
  clear(): void {
    const used = this.count;
    this.idBytesStore.fill(0, 0, used * ID_LENGTH);
    this.publicKeyStore.fill(0, 0, used * KEY_LENGTH);
    this.actives.fill(0, 0, used);
    this.emailAts.fill(0, 0, used);
    this.mobileNoAts.fill(0, 0, used);
    this.records.fill(0, 0, used);
    this.lookups.fill(0);
    this.table.fill(0);
    this.count = 0;
  }

  /** Byte views of every array the matches were written to: what clear() overwrites (for tests). */
  scratchViews(): Uint8Array[] {
    return [
      this.idBytesStore,
      this.publicKeyStore,
      this.actives,
      this.emailAts,
      this.mobileNoAts,
      this.records,
      this.lookups,
      this.table,
    ].map((array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }

  /** @internal HashIndex: room for the lookup state of `count` hashes (overwritten by clear()). */
  lookupRecords(count: number): Int32Array {
    if (this.lookups.length < count) this.lookups = new Int32Array(count);
    return this.lookups;
  }

  /** @internal HashIndex: empties the answer and makes room for up to `hashes` matches. */
  begin(hashes: number): void {
    this.clear();
    if (this.records.length < hashes) {
      const capacity = Math.max(hashes, 64);
      this.idBytesStore = new Uint8Array(capacity * ID_LENGTH);
      this.publicKeyStore = new Uint8Array(capacity * KEY_LENGTH);
      this.actives = new Uint8Array(capacity);
      this.emailAts = new Int32Array(capacity);
      this.mobileNoAts = new Int32Array(capacity);
      this.records = new Int32Array(capacity);
    }
    const size = tableSizeFor(Math.max(hashes, 1));
    if (this.table.length < size) {
      this.table = new Int32Array(size);
      this.tableMask = size - 1;
    }
  }

  /**
   * @internal HashIndex: the match of identity `record`, added (ID and key copied from the index's storage at
   * idAt / keyAt) when it is new. begin() made room for every hash, so there is always space.
   */
  matchOf(
    record: number,
    active: boolean,
    ids: Uint8Array,
    idAt: number,
    keys: Uint8Array,
    keyAt: number,
  ): number {
    const { table, tableMask } = this;
    let slot = Math.imul(record, 0x9e3779b1) & tableMask;
    for (; table[slot] !== 0; slot = (slot + 1) & tableMask) {
      const match = table[slot] - 1;
      if (this.records[match] === record) return match;
    }
    const match = this.count++;
    table[slot] = match + 1;
    this.records[match] = record;
    this.actives[match] = active ? 1 : 0;
    this.emailAts[match] = NONE;
    this.mobileNoAts[match] = NONE;
    const idStore = this.idBytesStore;
    for (let i = 0, to = match * ID_LENGTH; i < ID_LENGTH; i++) idStore[to + i] = ids[idAt + i];
    const keyStore = this.publicKeyStore;
    for (let i = 0, to = match * KEY_LENGTH; i < KEY_LENGTH; i++) keyStore[to + i] = keys[keyAt + i];
    return match;
  }

  /** @internal HashIndex: the request hash (kind 1 e-mail, 2 phone) at `position` matched `match`. */
  setHash(match: number, kind: 1 | 2, position: number): void {
    if (kind === 1) this.emailAts[match] = position;
    else this.mobileNoAts[match] = position;
  }
}
