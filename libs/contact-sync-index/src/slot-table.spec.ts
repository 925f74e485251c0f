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

  it('grows past its load factor and keeps every record', () => {
    const table = new SlotTable((record) => Math.imul(record, 0x9e3779b1));
    for (let record = 0; record < 10_000; record++) table.insert(record);
    expect(table.byteLength).toBe(16_384 * 4);
    for (let record = 0; record < 10_000; record++) {
      expect(table.find(Math.imul(record, 0x9e3779b1), (candidate) => candidate === record)).toBe(record);
    }
  });
});
