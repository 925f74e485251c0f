import { createHash } from 'node:crypto';

import { HashIndex, type HashKind } from './hash-index';

// The packed index against a plain model of the same rules, over thousands of random operations: enough records
// to grow every array and table several times, few enough hashes and identities that hashes move between
// identities, replace each other and are unlinked by stale events.

interface ModelIdentity {
  publicKey: Uint8Array;
  active: boolean;
  email?: string;
  mobileNo?: string;
}

/** The rules: one hash per kind per identity, latest link wins, stale unlinks are ignored. */
class Model {
  readonly owners = new Map<string, string>(); // `${kind}:${hex}` → identity
  readonly identities = new Map<string, ModelIdentity>();

  link(kind: HashKind, hash: string, identity: string, publicKey: Uint8Array, active: boolean): void {
    const key = `${kind}:${hash}`;
    const record = this.identities.get(identity) ?? { publicKey, active };
    record.publicKey = publicKey;
    record.active = active;
    this.identities.set(identity, record);
    const earlier = record[kind];
    if (earlier !== undefined && earlier !== hash) this.owners.delete(`${kind}:${earlier}`);
    const previous = this.owners.get(key);
    if (previous !== undefined && previous !== identity) this.drop(previous, kind);
    this.owners.set(key, identity);
    record[kind] = hash;
  }

  unlink(kind: HashKind, hash: string, identity: string): void {
    const key = `${kind}:${hash}`;
    if (this.owners.get(key) !== identity) return;
    this.owners.delete(key);
    this.drop(identity, kind);
  }

  revoke(identity: string): void {
    const record = this.identities.get(identity);
    if (record === undefined) return;
    if (record.email !== undefined) this.owners.delete(`email:${record.email}`);
    if (record.mobileNo !== undefined) this.owners.delete(`mobileNo:${record.mobileNo}`);
    this.identities.delete(identity);
  }

  private drop(identity: string, kind: HashKind): void {
    const record = this.identities.get(identity);
    if (record === undefined) return;
    record[kind] = undefined;
    if (record.email === undefined && record.mobileNo === undefined) this.identities.delete(identity);
  }
}

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hashBytes = (n: number) =>
  createHash('sha256')
    .update(`h${String(n)}`)
    .digest();
const identityName = (n: number) => `M${n.toString(36).toUpperCase().padStart(7, '0')}`;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function expectSame(index: HashIndex, model: Model, hashes: readonly Buffer[], identities: number): void {
  expect(index.size).toBe(model.owners.size);
  for (const kind of ['email', 'mobileNo'] as const) {
    const found = index.match(kind === 'email' ? hashes : [], kind === 'mobileNo' ? hashes : [], true);
    const got = new Map(
      found.map((m) => [
        m.identity,
        hex((kind === 'email' ? m.emailHash : m.mobileNoHash) ?? new Uint8Array()),
      ]),
    );
    const want = new Map<string, string>();
    for (const [key, identity] of model.owners) {
      const [k, h] = key.split(':');
      if (k === kind) want.set(identity, h);
    }
    expect(got).toEqual(want);
  }
  const keys = (lookup: (id: string) => Uint8Array | undefined) =>
    Array.from({ length: identities }, (_, n) => {
      const key = lookup(identityName(n));
      return key === undefined ? '-' : hex(key);
    });
  expect(keys((id) => index.publicKeyOf(id))).toEqual(keys((id) => model.identities.get(id)?.publicKey));
  const active = index.match(hashes, hashes, false).map((m) => m.identity);
  expect(active.every((id) => model.identities.get(id)?.active === true)).toBe(true);
}

describe('HashIndex against a model', () => {
  it.each([1, 2, 3])('agrees after random links, moves, unlinks and revocations (seed %i)', (seed) => {
    const random = prng(seed);
    const hashes = Array.from({ length: 3000 }, (_, n) => hashBytes(n));
    const identityCount = 2500;
    const index = new HashIndex();
    const model = new Model();
    const pick = (length: number) => Math.floor(random() * length);
    for (let step = 1; step <= 20_000; step++) {
      const kind: HashKind = random() < 0.5 ? 'email' : 'mobileNo';
      const hashNo = pick(hashes.length);
      const identity = identityName(pick(identityCount));
      const roll = random();
      if (roll < 0.7) {
        const publicKey = new Uint8Array(32).fill(pick(256));
        const active = random() < 0.9;
        index.link({ kind, hash: hashes[hashNo], identity, publicKey, active });
        model.link(kind, hex(hashes[hashNo]), identity, publicKey, active);
      } else if (roll < 0.95) {
        index.unlink(kind, hashes[hashNo], identity);
        model.unlink(kind, hex(hashes[hashNo]), identity);
      } else {
        index.revoke(identity);
        model.revoke(identity);
      }
      if (step % 5000 === 0) expectSame(index, model, hashes, identityCount);
    }
  });
});
