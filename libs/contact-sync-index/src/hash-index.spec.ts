import { HashIndex, type LinkedHashEntry } from './hash-index';

const hash = (n: number) => new Uint8Array(32).fill(n);
const entry = (n: number, identity: string, kind: 'email' | 'mobileNo' = 'email'): LinkedHashEntry => ({
  kind,
  hash: hash(n),
  identity,
  publicKey: new Uint8Array(32).fill(100),
  active: true,
});

describe('HashIndex', () => {
  it('links, replaces, unlinks and revokes idempotently', () => {
    const index = new HashIndex();
    index.link(entry(1, 'AAAAAAAA'));
    index.link(entry(1, 'AAAAAAAA'));
    index.link(entry(2, 'AAAAAAAA', 'mobileNo'));
    expect(index.size).toBe(2);
    index.link(entry(3, 'AAAAAAAA'), hash(1));
    expect(index.match([hash(1)], [], false)).toEqual([]);
    expect(index.match([hash(3)], [hash(2)], false).map((m) => m.identity)).toEqual(['AAAAAAAA']);
    // a stale unlink of another identity does not remove the hash
    index.unlink('email', hash(3), 'BBBBBBBB');
    expect(index.size).toBe(2);
    index.unlink('email', hash(3), 'AAAAAAAA');
    index.unlink('email', hash(3), 'AAAAAAAA');
    expect(index.size).toBe(1);
    index.revoke('AAAAAAAA');
    index.revoke('AAAAAAAA');
    expect(index.size).toBe(0);
    expect(index.publicKeyOf('AAAAAAAA')).toBeUndefined();
  });

  it('keeps e-mail and phone hashes apart', () => {
    const index = new HashIndex();
    index.link(entry(1, 'AAAAAAAA', 'mobileNo'));
    expect(index.match([hash(1)], [], true)).toEqual([]);
  });

  it("replaces an identity's hash of the same kind and moves a hash to its latest identity", () => {
    const index = new HashIndex();
    index.link(entry(1, 'AAAAAAAA'));
    index.link(entry(2, 'AAAAAAAA')); // a new e-mail address without replacedHash: the directory keeps one
    expect(index.size).toBe(1);
    expect(index.match([hash(1)], [], true)).toEqual([]);
    index.link({ ...entry(2, 'BBBBBBBB'), publicKey: new Uint8Array(32).fill(7) });
    expect(index.size).toBe(1);
    expect(index.match([hash(2)], [], true)).toEqual([
      { identity: 'BBBBBBBB', publicKey: new Uint8Array(32).fill(7), active: true, emailHash: hash(2) },
    ]);
    // AAAAAAAA has no linked hash left: its key is no longer known here
    expect(index.publicKeyOf('AAAAAAAA')).toBeUndefined();
    expect(index.publicKeyOf('BBBBBBBB')).toEqual(new Uint8Array(32).fill(7));
  });

  it('answers inactive identities only with includeInactive, and both hashes of one identity in one result', () => {
    const index = new HashIndex();
    index.link({ ...entry(1, 'AAAAAAAA'), active: false });
    index.link({ ...entry(2, 'AAAAAAAA', 'mobileNo'), active: false });
    expect(index.match([hash(1)], [hash(2)], false)).toEqual([]);
    expect(index.match([hash(1)], [hash(2)], true)).toEqual([
      {
        identity: 'AAAAAAAA',
        publicKey: new Uint8Array(32).fill(100),
        active: false,
        emailHash: hash(1),
        mobileNoHash: hash(2),
      },
    ]);
  });

  it('hands out copies: changing a result does not change the index', () => {
    const index = new HashIndex();
    index.link(entry(1, 'AAAAAAAA'));
    index.match([hash(1)], [], false)[0].publicKey.fill(0);
    index.publicKeyOf('AAAAAAAA')?.fill(0);
    expect(index.publicKeyOf('AAAAAAAA')).toEqual(new Uint8Array(32).fill(100));
  });

  it('refuses malformed entries and ignores malformed lookups', () => {
    const index = new HashIndex();
    expect(() => {
      index.link({ ...entry(1, 'AAAAAAAA'), hash: new Uint8Array(31) });
    }).toThrow(RangeError);
    expect(() => {
      index.link({ ...entry(1, 'AAAAAAAA'), publicKey: new Uint8Array(33) });
    }).toThrow(RangeError);
    expect(() => {
      index.link(entry(1, 'aaaaaaaa'));
    }).toThrow(RangeError);
    expect(index.size).toBe(0);
    index.link(entry(1, 'AAAAAAAA'));
    expect(index.match([new Uint8Array(31).fill(1), new Uint8Array(0)], [], true)).toEqual([]);
    index.unlink('email', hash(1), 'not-an-id');
    index.revoke('AAAAAAA');
    expect(index.publicKeyOf('AAAAAAAAA')).toBeUndefined();
    expect(index.size).toBe(1);
  });

  it('keeps its memory near 100 bytes per linked hash (one per identity)', () => {
    const index = new HashIndex();
    const rows = 50_000;
    for (let n = 0; n < rows; n++) {
      const bytes = new Uint8Array(32);
      new DataView(bytes.buffer).setUint32(0, n * 2654435761);
      new DataView(bytes.buffer).setUint32(4, n);
      index.link({
        kind: n % 2 === 0 ? 'email' : 'mobileNo',
        hash: bytes,
        identity: `X${n.toString(16).toUpperCase().padStart(7, '0')}`,
        publicKey: bytes,
        active: true,
      });
    }
    expect(index.size).toBe(rows);
    // the typed arrays' capacity: records grow by half, tables keep a load factor of at most 3/4
    expect(index.byteLength / rows).toBeLessThan(200);
  });
});
