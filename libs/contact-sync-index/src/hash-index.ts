import { HASH_LENGTH, ID_LENGTH, IndexMatches, KEY_LENGTH, type PackedHashes } from './index-matches';
import { SlotTable } from './slot-table';

/**
 * The linked-hash index, held in this process's memory only (issue 6; docs/adr/0020). Nothing here is ever
 * written anywhere: there is no repository and no queue behind it. It is rebuilt from the directory's snapshot
 * on every start.
 *
 * Layout (docs/adr/0025): packed typed arrays instead of objects per hash, about 100 bytes per linked hash and
 * nothing for the garbage collector to trace.
 * - hash records: the 32-byte hash (one Buffer for all), its kind, and its owner's identity record;
 * - identity records: the 8-character ID (latin1), the 32-byte public key, the active flag, and its hash record
 *   of each kind (the directory stores at most one e-mail and one phone hash per identity);
 * - two open-addressing tables find a hash record by (kind, hash) and an identity record by ID.
 */
export type HashKind = 'email' | 'mobileNo';

export interface IndexedIdentity {
  readonly identity: string;
  readonly publicKey: Uint8Array;
  /** false: the identity is inactive (still matched with includeInactive) */
  readonly active: boolean;
}

export interface LinkedHashEntry extends IndexedIdentity {
  readonly kind: HashKind;
  readonly hash: Uint8Array;
}

export interface HashMatch extends IndexedIdentity {
  readonly emailHash?: Uint8Array;
  readonly mobileNoHash?: Uint8Array;
}

const NONE = -1;
const IDENTITY = /^[0-9A-Z*][0-9A-Z]{7}$/;
/** 0 marks a free hash record */
const KIND_CODE: Readonly<Record<HashKind, 1 | 2>> = { email: 1, mobileNo: 2 };

/** Record storage grows by half (at most 1.5 times what is used) and starts small. */
const grown = (capacity: number) => Math.ceil(capacity * 1.5);
const INITIAL_CAPACITY = 1024;

/** MurmurHash3's finaliser: spreads the bits of a 32-bit value. */
function mix(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const u32 = (bytes: Uint8Array, at: number) =>
  (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;

/** Linked hashes are HMAC-SHA256 outputs (spec §4.4), already uniform: four bytes and the kind suffice. */
const hashKey = (bytes: Uint8Array, at: number, kind: number) => mix(u32(bytes, at) ^ kind);
const identityKey = (bytes: Uint8Array, at: number) =>
  mix(u32(bytes, at) ^ Math.imul(u32(bytes, at + 4), 0x9e3779b1));
/** identityKey of the ID's latin1 bytes, read from the string itself */
const identityKeyOf = (id: string) =>
  mix(
    ((id.charCodeAt(0) | (id.charCodeAt(1) << 8) | (id.charCodeAt(2) << 16) | (id.charCodeAt(3) << 24)) ^
      Math.imul(
        id.charCodeAt(4) | (id.charCodeAt(5) << 8) | (id.charCodeAt(6) << 16) | (id.charCodeAt(7) << 24),
        0x9e3779b1,
      )) >>>
      0,
  );

export class HashIndex {
  // hash records
  private hashBytes = Buffer.alloc(INITIAL_CAPACITY * HASH_LENGTH);
  private hashKinds = new Uint8Array(INITIAL_CAPACITY);
  /** the owner's identity record; for a free record, the next free one */
  private hashOwners = new Int32Array(INITIAL_CAPACITY);
  private hashTop = 0;
  private hashFree = NONE;
  private hashCount = 0;
  private readonly hashTable = new SlotTable((record) =>
    hashKey(this.hashBytes, record * HASH_LENGTH, this.hashKinds[record]),
  );

  // identity records
  private idBytes = Buffer.alloc(INITIAL_CAPACITY * ID_LENGTH);
  private publicKeys = Buffer.alloc(INITIAL_CAPACITY * KEY_LENGTH);
  private actives = new Uint8Array(INITIAL_CAPACITY);
  /** the hash record of each kind, or NONE; for a free record, emailOf holds the next free one */
  private emailOf = new Int32Array(INITIAL_CAPACITY);
  private mobileNoOf = new Int32Array(INITIAL_CAPACITY);
  private identityTop = 0;
  private identityFree = NONE;
  private readonly identityTable = new SlotTable((record) => identityKey(this.idBytes, record * ID_LENGTH));

  // what the probe callbacks compare against (set before each find; no closure per lookup)
  private probeHash: Uint8Array = new Uint8Array(HASH_LENGTH);
  private probeAt = 0;
  private probeKind = 0;
  private probeId = '';
  private readonly hashMatches = (record: number): boolean => {
    if (this.hashKinds[record] !== this.probeKind) return false;
    // a plain loop: cheaper than Buffer#compare's argument checks for 32 bytes, and most probes differ early
    const { hashBytes, probeHash, probeAt } = this;
    for (let i = probeAt, at = record * HASH_LENGTH, end = at + HASH_LENGTH; at < end; i++, at++) {
      if (hashBytes[at] !== probeHash[i]) return false;
    }
    return true;
  };
  private readonly identityMatches = (record: number): boolean => {
    const { idBytes, probeId } = this;
    for (let i = 0, at = record * ID_LENGTH; i < ID_LENGTH; i++, at++) {
      if (idBytes[at] !== probeId.charCodeAt(i)) return false;
    }
    return true;
  };

  get size(): number {
    return this.hashCount;
  }

  /** Bytes of the typed arrays behind the index (their capacity, used or not). */
  get byteLength(): number {
    return (
      this.hashBytes.byteLength +
      this.hashKinds.byteLength +
      this.hashOwners.byteLength +
      this.hashTable.byteLength +
      this.idBytes.byteLength +
      this.publicKeys.byteLength +
      this.actives.byteLength +
      this.emailOf.byteLength +
      this.mobileNoOf.byteLength +
      this.identityTable.byteLength
    );
  }

  /**
   * Links a hash to an identity (latest wins: a hash linked before to another identity moves, and the identity's
   * earlier hash of the same kind is replaced, as in the directory). Also updates the identity's key and state.
   */
  link(entry: LinkedHashEntry, replacedHash?: Uint8Array): void {
    if (entry.hash.length !== HASH_LENGTH || entry.publicKey.length !== KEY_LENGTH) {
      throw new RangeError('a linked hash and a public key have 32 bytes');
    }
    if (!IDENTITY.test(entry.identity)) throw new RangeError('not an 8-character identity');
    if (replacedHash !== undefined && replacedHash.length > 0) {
      this.unlink(entry.kind, replacedHash, entry.identity);
    }
    const kind = KIND_CODE[entry.kind];
    const owner = this.identityRecordOf(entry.identity, true);
    this.publicKeys.set(entry.publicKey, owner * KEY_LENGTH);
    this.actives[owner] = entry.active ? 1 : 0;
    const ofKind = this.hashOf(owner, kind);
    let record = this.findHash(kind, entry.hash);
    if (record !== NONE && record === ofKind) return;
    if (ofKind !== NONE) {
      this.freeHash(ofKind);
      this.setHashOf(owner, kind, NONE);
    }
    if (record === NONE) {
      record = this.allocateHash(kind, entry.hash);
    } else {
      const previous = this.hashOwners[record];
      this.setHashOf(previous, kind, NONE);
      this.releaseIfUnused(previous);
    }
    this.hashOwners[record] = owner;
    this.setHashOf(owner, kind, record);
  }

  /** Removes the hash only while it still belongs to `identity` (events are idempotent and may be stale). */
  unlink(kind: HashKind, hash: Uint8Array, identity: string): void {
    const code = KIND_CODE[kind];
    const record = this.findHash(code, hash);
    if (record === NONE) return;
    const owner = this.hashOwners[record];
    if (owner !== this.identityRecord(identity)) return;
    this.freeHash(record);
    this.setHashOf(owner, code, NONE);
    this.releaseIfUnused(owner);
  }

  revoke(identity: string): void {
    const owner = this.identityRecord(identity);
    if (owner === NONE) return;
    for (const kind of [1, 2] as const) {
      const record = this.hashOf(owner, kind);
      if (record !== NONE) this.freeHash(record);
      this.setHashOf(owner, kind, NONE);
    }
    this.releaseIfUnused(owner);
  }

  /** The public key of an identity that has at least one linked hash (for the match-token signature). */
  publicKeyOf(identity: string): Uint8Array | undefined {
    const owner = this.identityRecord(identity);
    return owner === NONE ? undefined : this.publicKeyCopy(owner);
  }

  /**
   * The identities the given hashes are linked to (inactive ones only with `includeInactive`), each once, with
   * the request's hashes that matched it. Convenience over matchInto() for callers that want objects.
   */
  match(
    emailHashes: readonly Uint8Array[],
    mobileNoHashes: readonly Uint8Array[],
    includeInactive: boolean,
  ): HashMatch[] {
    const email = packed(emailHashes);
    const mobileNo = packed(mobileNoHashes);
    const matches = new IndexMatches();
    this.matchInto(email.hashes, mobileNo.hashes, includeInactive, matches);
    const results: HashMatch[] = [];
    for (let i = 0; i < matches.length; i++) {
      const emailAt = matches.emailAt(i);
      const mobileNoAt = matches.mobileNoAt(i);
      results.push({
        identity: matches.identity(i),
        publicKey: Buffer.from(matches.publicKeys.subarray(i * KEY_LENGTH, (i + 1) * KEY_LENGTH)),
        active: matches.active(i),
        // the request's own bytes: equal to the stored hash
        ...(emailAt === NONE ? {} : { emailHash: emailHashes[email.origins[emailAt]] }),
        ...(mobileNoAt === NONE ? {} : { mobileNoHash: mobileNoHashes[mobileNo.origins[mobileNoAt]] }),
      });
    }
    matches.clear();
    return results;
  }

  /**
   * The service's match (identity/match): looks up packed request hashes and writes the answer into `into`
   * (emptied first): each matched identity once, in first-hit order (e-mail hashes first), with the position of
   * the request hash of each kind that matched it. Inactive identities only with `includeInactive`. No object
   * and no copy per hash; `into` is the caller's reusable scratch, to be cleared after the answer is encoded.
   */
  matchInto(
    emailHashes: PackedHashes,
    mobileNoHashes: PackedHashes,
    includeInactive: boolean,
    into: IndexMatches,
  ): void {
    into.begin(emailHashes.count + mobileNoHashes.count);
    this.collect(1, emailHashes, includeInactive, into);
    this.collect(2, mobileNoHashes, includeInactive, into);
  }

  /**
   * Looks up one list in passes over all its hashes. Each lookup touches several places of a ~100 MB index (its
   * table slot, the hash record, the owner's ID and key), almost all of them cache misses; looked up one after
   * the other, every miss waits for the previous one. The first passes only read those places for every hash
   * (independent loads the CPU keeps in flight together, up to its memory parallelism), so the real lookups
   * that follow find them in cache. Only reads: the answer is the same as a plain lookup loop's (tests).
   */
  private collect(kind: 1 | 2, hashes: PackedHashes, includeInactive: boolean, into: IndexMatches): void {
    const { bytes, count } = hashes;
    if (bytes.length < count * HASH_LENGTH) throw new RangeError('fewer hash bytes than hashes');
    const records = into.lookupRecords(count);
    const { hashBytes, hashKinds, hashOwners, actives, idBytes, publicKeys, hashTable } = this;
    let touched = 0;
    // pass 1: each hash's home slot
    for (let n = 0; n < count; n++) touched += hashTable.first(hashKey(bytes, n * HASH_LENGTH, kind)) + 1;
    // pass 2: the first record whose stored hash value is the hash's (the slots are in cache now), and its
    // kind, hash bytes and owner; record 0 stands in for none, so the loop does not branch on hit or miss
    for (let n = 0; n < count; n++) {
      const candidate = hashTable.candidate(hashKey(bytes, n * HASH_LENGTH, kind));
      const record = candidate & ~(candidate >> 31);
      touched += hashKinds[record] + hashBytes[record * HASH_LENGTH] + hashOwners[record];
    }
    // pass 3: the lookups, from cache now
    for (let n = 0; n < count; n++) records[n] = this.findHashAt(kind, bytes, n * HASH_LENGTH);
    // pass 4: the owners' state, ID and key (record 0's owner stands in for a miss; identity 0 for a free one)
    for (let n = 0; n < count; n++) {
      const record = records[n];
      const stored = hashOwners[record & ~(record >> 31)];
      const owner = stored & ~(stored >> 31);
      touched += actives[owner] + idBytes[owner * ID_LENGTH] + publicKeys[owner * KEY_LENGTH];
    }
    // a sum of non-negative values: never true, but it uses every warming read, so none can be dropped
    if (touched < 0) throw new Error('unreachable');
    for (let n = 0; n < count; n++) {
      const record = records[n];
      if (record === NONE) continue;
      const owner = hashOwners[record];
      const active = actives[owner] === 1;
      if (!active && !includeInactive) continue;
      const match = into.matchOf(owner, active, idBytes, owner * ID_LENGTH, publicKeys, owner * KEY_LENGTH);
      into.setHash(match, kind, n);
    }
  }

  private findHash(kind: number, hash: Uint8Array): number {
    return hash.length === HASH_LENGTH ? this.findHashAt(kind, hash, 0) : NONE;
  }

  /** The record of the hash at bytes[at … at + 32) of this kind, or NONE. */
  private findHashAt(kind: number, bytes: Uint8Array, at: number): number {
    this.probeHash = bytes;
    this.probeAt = at;
    this.probeKind = kind;
    return this.hashTable.find(hashKey(bytes, at, kind), this.hashMatches);
  }

  private allocateHash(kind: number, hash: Uint8Array): number {
    let record = this.hashFree;
    if (record !== NONE) {
      this.hashFree = this.hashOwners[record];
    } else {
      if (this.hashTop === this.hashKinds.length) this.growHashes();
      record = this.hashTop++;
    }
    this.hashBytes.set(hash, record * HASH_LENGTH);
    this.hashKinds[record] = kind;
    this.hashTable.insert(record);
    this.hashCount++;
    return record;
  }

  private freeHash(record: number): void {
    this.hashTable.remove(record);
    this.hashKinds[record] = 0;
    this.hashOwners[record] = this.hashFree;
    this.hashFree = record;
    this.hashCount--;
  }

  private growHashes(): void {
    const capacity = grown(this.hashKinds.length);
    this.hashBytes = copyInto(Buffer.alloc(capacity * HASH_LENGTH), this.hashBytes);
    this.hashKinds = copyInto(new Uint8Array(capacity), this.hashKinds);
    this.hashOwners = copyInto(new Int32Array(capacity), this.hashOwners);
  }

  /** The identity's record, or NONE for an unknown or invalid ID. */
  private identityRecord(identity: string): number {
    return IDENTITY.test(identity) ? this.identityRecordOf(identity, false) : NONE;
  }

  /** The record of a valid ID; with `create`, a new one when there is none. */
  private identityRecordOf(identity: string, create: boolean): number {
    this.probeId = identity;
    const found = this.identityTable.find(identityKeyOf(identity), this.identityMatches);
    if (found !== NONE || !create) return found;
    let record = this.identityFree;
    if (record !== NONE) {
      this.identityFree = this.emailOf[record];
    } else {
      if (this.identityTop === this.actives.length) this.growIdentities();
      record = this.identityTop++;
    }
    for (let i = 0, at = record * ID_LENGTH; i < ID_LENGTH; i++, at++)
      this.idBytes[at] = identity.charCodeAt(i);
    this.emailOf[record] = NONE;
    this.mobileNoOf[record] = NONE;
    this.identityTable.insert(record);
    return record;
  }

  /** Frees an identity record once it has no linked hash left (publicKeyOf then answers undefined). */
  private releaseIfUnused(record: number): void {
    if (this.emailOf[record] !== NONE || this.mobileNoOf[record] !== NONE) return;
    this.identityTable.remove(record);
    this.idBytes.fill(0, record * ID_LENGTH, (record + 1) * ID_LENGTH);
    this.publicKeys.fill(0, record * KEY_LENGTH, (record + 1) * KEY_LENGTH);
    this.emailOf[record] = this.identityFree;
    this.identityFree = record;
  }

  private growIdentities(): void {
    const capacity = grown(this.actives.length);
    this.idBytes = copyInto(Buffer.alloc(capacity * ID_LENGTH), this.idBytes);
    this.publicKeys = copyInto(Buffer.alloc(capacity * KEY_LENGTH), this.publicKeys);
    this.actives = copyInto(new Uint8Array(capacity), this.actives);
    this.emailOf = copyInto(new Int32Array(capacity), this.emailOf);
    this.mobileNoOf = copyInto(new Int32Array(capacity), this.mobileNoOf);
  }

  private hashOf(identityRecord: number, kind: 1 | 2): number {
    return kind === 1 ? this.emailOf[identityRecord] : this.mobileNoOf[identityRecord];
  }

  private setHashOf(identityRecord: number, kind: 1 | 2, record: number): void {
    if (kind === 1) this.emailOf[identityRecord] = record;
    else this.mobileNoOf[identityRecord] = record;
  }

  /** A copy in a (pooled) Buffer: encoding it to base64 needs no new backing store per key. */
  private publicKeyCopy(record: number): Uint8Array {
    return Buffer.from(this.publicKeys.subarray(record * KEY_LENGTH, (record + 1) * KEY_LENGTH));
  }
}

/** 32-byte hashes packed for matchInto(); others never match. `origins[n]` is packed hash n's list position. */
function packed(list: readonly Uint8Array[]): { hashes: PackedHashes; origins: number[] } {
  const origins: number[] = [];
  list.forEach((hash, position) => {
    if (hash.length === HASH_LENGTH) origins.push(position);
  });
  const bytes = new Uint8Array(origins.length * HASH_LENGTH);
  origins.forEach((position, n) => {
    bytes.set(list[position], n * HASH_LENGTH);
  });
  return { hashes: { bytes, count: origins.length }, origins };
}

function copyInto<T extends Uint8Array | Int32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
