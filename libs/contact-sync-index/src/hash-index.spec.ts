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
});
