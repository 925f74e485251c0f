import { type IdentityRecord, IdentityStateCode, IdentityTypeCode } from '@ots/directory-db';

import { BatchingIdentityLookup, MAX_IDS_PER_QUERY } from './batching-identity-lookup';

const record = (id: string): IdentityRecord => ({
  id,
  publicKey: new Uint8Array(32),
  state: IdentityStateCode.Active,
  type: IdentityTypeCode.Regular,
  featureMask: 0n,
  serverGroup: '00',
  createdAt: new Date(0),
  lastLoginAt: null,
});

describe('BatchingIdentityLookup', () => {
  it('answers concurrent callers from one query, each with its own records', async () => {
    const queries: string[][] = [];
    const lookup = new BatchingIdentityLookup({
      findByIds: (ids) => {
        queries.push([...ids]);
        return Promise.resolve(ids.filter((id) => id !== 'MISSING1').map(record));
      },
    });
    const [a, b, c] = await Promise.all([
      lookup.findByIds(['AAAAAAAA']),
      lookup.findByIds(['BBBBBBBB', 'AAAAAAAA', 'MISSING1']),
      lookup.findByIds(['MISSING1']),
    ]);
    expect(queries).toEqual([['AAAAAAAA', 'BBBBBBBB', 'MISSING1']]);
    expect(a.map((r) => r.id)).toEqual(['AAAAAAAA']);
    expect(b.map((r) => r.id).sort()).toEqual(['AAAAAAAA', 'BBBBBBBB']);
    expect(c).toEqual([]);
    // a later call is a new batch
    await lookup.findByIds(['CCCCCCCC']);
    expect(queries).toHaveLength(2);
  });

  it('splits very large batches and rejects every waiting caller when the query fails', async () => {
    const sizes: number[] = [];
    const ok = new BatchingIdentityLookup({
      findByIds: (ids) => {
        sizes.push(ids.length);
        return Promise.resolve([]);
      },
    });
    const many = Array.from({ length: MAX_IDS_PER_QUERY + 1 }, (_, i) => `X${String(i).padStart(7, '0')}`);
    await ok.findByIds(many);
    expect(sizes).toEqual([MAX_IDS_PER_QUERY, 1]);

    const failing = new BatchingIdentityLookup({ findByIds: () => Promise.reject(new Error('db down')) });
    const results = await Promise.allSettled([
      failing.findByIds(['AAAAAAAA']),
      failing.findByIds(['BBBBBBBB']),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
