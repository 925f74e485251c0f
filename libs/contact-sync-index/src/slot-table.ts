/**
 * An open-addressing hash table of record numbers (linear probing, backward-shift deletion, so no tombstones).
 * The keys live in the caller's packed record storage: the table only knows each record's hash value and asks
 * `matches(record)` while probing. Slots hold record + 1 (0 = empty); the load factor stays ≤ 3/4.
 */
export class SlotTable {
  private slots = new Int32Array(1024);
  private mask = 1023;
  private used = 0;

  constructor(private readonly hashOfRecord: (record: number) => number) {}

  get byteLength(): number {
    return this.slots.byteLength;
  }

  /** The first record from `hash`'s probe sequence that `matches` accepts, or -1. */
  find(hash: number, matches: (record: number) => boolean): number {
    const { slots, mask } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = slots[slot];
      if (stored === 0) return -1;
      if (matches(stored - 1)) return stored - 1;
    }
  }

  /** Adds a record that is not in the table yet. */
  insert(record: number): void {
    if ((this.used + 1) * 4 > this.slots.length * 3) this.resize(this.slots.length * 2);
    this.place(record);
    this.used++;
  }

  /** Removes a record; later members of its cluster move back so every probe sequence stays unbroken. */
  remove(record: number): void {
    const { slots, mask } = this;
    let hole = this.hashOfRecord(record) & mask;
    while (slots[hole] !== record + 1) {
      if (slots[hole] === 0) return;
      hole = (hole + 1) & mask;
    }
    for (let next = (hole + 1) & mask; slots[next] !== 0; next = (next + 1) & mask) {
      const home = this.hashOfRecord(slots[next] - 1) & mask;
      // the entry at `next` may fill the hole only if the hole lies on its probe path (home … next)
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        slots[hole] = slots[next];
        hole = next;
      }
    }
    slots[hole] = 0;
    this.used--;
  }

  private place(record: number): void {
    const { slots, mask } = this;
    let slot = this.hashOfRecord(record) & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = record + 1;
  }

  private resize(length: number): void {
    const old = this.slots;
    this.slots = new Int32Array(length);
    this.mask = length - 1;
    for (const stored of old) if (stored !== 0) this.place(stored - 1);
  }
}
