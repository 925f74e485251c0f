import { SlotTable } from './slot-table';

describe('SlotTable', () => {
  it('finds every record through long collision chains after removals (backward shift, no tombstones)', () => {
    // three home slots only, so every record sits in a long cluster that wraps around the table's end
    const homeOf = (record: number) => [5, 6, 1023][record % 3];
    const table = new SlotTable(homeOf);
    const present = new Set<number>();
    for (let record = 0; record < 600; record++) {
      table.insert(record);
      present.add(record);
    }
    for (let record = 0; record < 600; record += 4) {
      table.remove(record);
      present.delete(record);
    }
    table.remove(100_000); // not in the table: no change
    for (let record = 0; record < 600; record++) {
      const found = table.find(homeOf(record), (candidate) => candidate === record);
      expect(found).toBe(present.has(record) ? record : -1);
    }
  });

  it('asks matches() only about records whose hash value equals the probed one', () => {
    const hashOf = (record: number) => (record < 100 ? 7 : 7 + 1024 * record); // same home slot, 7
    const table = new SlotTable(hashOf);
    for (let record = 0; record < 200; record++) table.insert(record);
    const asked: number[] = [];
    const found = table.find(hashOf(150), (candidate) => {
      asked.push(candidate);
      return candidate === 150;
    });
    expect(found).toBe(150);
    expect(asked).toEqual([150]);
    expect(table.candidate(hashOf(150))).toBe(150);
    expect(table.candidate(7 + 1024 * 5000)).toBe(-1);
    // all 200 sit in one cluster from slot 7 on (1,024 slots): first() reads a slot without probing
    expect(table.first(7)).toBe(0);
    expect(table.first(8 + 1024)).toBe(1);
    expect(table.first(206)).toBe(199);
    expect(table.first(207)).toBe(-1);
  });

  it('grows past its load factor and keeps every record', () => {
    const table = new SlotTable((record) => Math.imul(record, 0x9e3779b1));
    for (let record = 0; record < 10_000; record++) table.insert(record);
    // 16,384 slots (10,000 ≤ 3/4 of them) of two int32 each: record + 1 and its hash value
    expect(table.byteLength).toBe(16_384 * 8);
    for (let record = 0; record < 10_000; record++) {
      expect(table.find(Math.imul(record, 0x9e3779b1), (candidate) => candidate === record)).toBe(record);
    }
  });
});
