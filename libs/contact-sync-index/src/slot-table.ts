/**
 * An open-addressing hash table of record numbers (linear probing, backward-shift deletion, so no tombstones).
 * The keys live in the caller's packed record storage: the table knows each record's 32-bit hash value and asks
 * `matches(record)` while probing. Each slot is a pair in one Int32Array: record + 1 (0 = empty) and the record's
 * hash value, side by side in the same cache line. A probe compares the stored hash value first and asks
 * `matches` only when it is equal, so passing over other records' slots never touches their storage (a cache
 * miss each in an index of ~100 MB). The load factor stays ≤ 3/4.
 */
export class SlotTable {
  /** [record + 1, hash value] per slot */
  private slots = new Int32Array(2 * 1024);
  private mask = 1023;
  private used = 0;

  constructor(private readonly hashOfRecord: (record: number) => number) {}

  get byteLength(): number {
    return this.slots.byteLength;
  }

  /** The first record from `hash`'s probe sequence that `matches` accepts, or -1. */
  find(hash: number, matches: (record: number) => boolean): number {
    const { slots, mask } = this;
    const value = hash | 0;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = slots[2 * slot];
      if (stored === 0) return -1;
      if (slots[2 * slot + 1] === value && matches(stored - 1)) return stored - 1;
    }
  }

  /** The record in `hash`'s home slot, or -1 when it is empty: the first place find() reads. */
  first(hash: number): number {
    return this.slots[2 * (hash & this.mask)] - 1;
  }

  /**
   * The first record from `hash`'s probe sequence whose stored hash value equals `hash`, or -1: what find()
   * would ask `matches` about first (the slots only; no record storage is read).
   */
  candidate(hash: number): number {
    const { slots, mask } = this;
    const value = hash | 0;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = slots[2 * slot];
      if (stored === 0 || slots[2 * slot + 1] === value) return stored - 1;
    }
  }

  /** Adds a record that is not in the table yet. */
  insert(record: number): void {
    if ((this.used + 1) * 4 > (this.mask + 1) * 3) this.resize((this.mask + 1) * 2);
    this.place(record + 1, this.hashOfRecord(record) | 0);
    this.used++;
  }

  /** Removes a record; later members of its cluster move back so every probe sequence stays unbroken. */
  remove(record: number): void {
    const { slots, mask } = this;
    let hole = this.hashOfRecord(record) & mask;
    while (slots[2 * hole] !== record + 1) {
      if (slots[2 * hole] === 0) return;
      hole = (hole + 1) & mask;
    }
    for (let next = (hole + 1) & mask; slots[2 * next] !== 0; next = (next + 1) & mask) {
      const home = slots[2 * next + 1] & mask;
      // the entry at `next` may fill the hole only if the hole lies on its probe path (home … next)
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        slots[2 * hole] = slots[2 * next];
        slots[2 * hole + 1] = slots[2 * next + 1];
        hole = next;
      }
    }
    slots[2 * hole] = 0;
    slots[2 * hole + 1] = 0;
    this.used--;
  }

  private place(stored: number, value: number): void {
    const { slots, mask } = this;
    let slot = value & mask;
    while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
    slots[2 * slot] = stored;
    slots[2 * slot + 1] = value;
  }

  private resize(length: number): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * length);
    this.mask = length - 1;
    for (let at = 0; at < old.length; at += 2) if (old[at] !== 0) this.place(old[at], old[at + 1]);
  }
}
