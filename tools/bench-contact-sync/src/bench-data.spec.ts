import {
  benchIdentity,
  isActiveRow,
  kindOfRow,
  linkedHashEntry,
  linkedHashOf,
  matchQuery,
} from './bench-data';

describe('bench data', () => {
  it('names rows as valid identities and alternates the hash kind', () => {
    expect(benchIdentity(1)).toBe('C0000001');
    expect(benchIdentity(1_000_000)).toBe('C00F4240');
    expect(benchIdentity(1_000_000)).toMatch(/^[0-9A-Z*][0-9A-Z]{7}$/);
    expect([kindOfRow(1), kindOfRow(2)]).toEqual(['email', 'mobileNo']);
    expect([isActiveRow(49), isActiveRow(50)]).toEqual([true, false]);
    expect(linkedHashEntry(7)).toMatchObject({ identity: 'C0000007', kind: 'email', active: true });
  });

  it('builds match requests whose expected count follows the seeded rows', () => {
    let state = 1;
    const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
    const rows = 100;
    const query = matchQuery(rows, 1000, 0.5, random);
    expect(query.emailHashes).toHaveLength(500);
    expect(query.mobileNoHashes).toHaveLength(500);
    const linked = new Map<string, number>();
    for (let row = 1; row <= rows; row++)
      linked.set(`${kindOfRow(row)}:${linkedHashOf(row).toString('hex')}`, row);
    const matched = new Set<number>();
    for (const [kind, hashes] of [
      ['email', query.emailHashes],
      ['mobileNo', query.mobileNoHashes],
    ] as const) {
      for (const hash of hashes) {
        const row = linked.get(`${kind}:${Buffer.from(hash).toString('hex')}`);
        if (row !== undefined && isActiveRow(row)) matched.add(row);
      }
    }
    expect(matched.size).toBeGreaterThan(0);
    expect(query.expectedMatches).toBe(matched.size);
  });
});
