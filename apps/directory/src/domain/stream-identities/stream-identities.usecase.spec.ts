import { IdentityStateCode, IdentityTypeCode } from '@ots/directory-db';

import { DirectoryErrorCode } from '../directory-error';
import type { IdentitySummary } from '../identity-summary';
import { MAX_STREAM_BATCH } from '../keyset-batches';
import { type IdentityReader, StreamIdentitiesUseCase } from './stream-identities.usecase';

function identity(id: string, state = IdentityStateCode.Active): IdentitySummary {
  return {
    id,
    publicKey: new Uint8Array(32).fill(id.charCodeAt(7)),
    state,
    type: IdentityTypeCode.Regular,
    featureMask: 0x0fn,
    serverGroup: '0a',
  };
}

/** A reader over a sorted list that records the pages asked for. */
class ListIdentityReader implements IdentityReader {
  readonly reads: { cursor: string | undefined; limit: number }[] = [];

  constructor(private readonly identities: readonly IdentitySummary[]) {}

  identitiesAfter(cursor: string | undefined, limit: number) {
    this.reads.push({ cursor, limit });
    const start = cursor === undefined ? 0 : this.identities.findIndex((i) => i.id === cursor) + 1;
    const entries = this.identities.slice(start, start + limit);
    return Promise.resolve({
      entries,
      nextCursor: entries.length === limit ? entries.at(-1)?.id : undefined,
    });
  }
}

async function collect(useCase: StreamIdentitiesUseCase, batchSize: number): Promise<IdentitySummary[][]> {
  const batches: IdentitySummary[][] = [];
  for await (const batch of useCase.batches(batchSize)) batches.push(batch);
  return batches;
}

describe('StreamIdentitiesUseCase', () => {
  const identities = [
    identity('A0000001'),
    identity('A0000002', IdentityStateCode.Revoked),
    identity('A0000003', IdentityStateCode.Inactive),
    identity('A0000004'),
    identity('A0000005'),
  ];

  it('emits every identity once, revoked ones too, in batches of at most the batch size', async () => {
    const reader = new ListIdentityReader(identities);
    const batches = await collect(new StreamIdentitiesUseCase(reader), 2);
    expect(batches.map((batch) => batch.map((i) => i.id))).toEqual([
      ['A0000001', 'A0000002'],
      ['A0000003', 'A0000004'],
      ['A0000005'],
    ]);
    expect(batches.flat()).toEqual(identities);
    expect(reader.reads).toEqual([
      { cursor: undefined, limit: 2 },
      { cursor: 'A0000002', limit: 2 },
      { cursor: 'A0000004', limit: 2 },
    ]);
  });

  it('sends no empty batch when the last page is full', async () => {
    const reader = new ListIdentityReader(identities.slice(0, 4));
    const batches = await collect(new StreamIdentitiesUseCase(reader), 2);
    expect(batches.map((batch) => batch.length)).toEqual([2, 2]);
    // the full last page needs one more read to learn that nothing follows
    expect(reader.reads.map((read) => read.cursor)).toEqual([undefined, 'A0000002', 'A0000004']);
  });

  it('sends nothing for an empty directory', async () => {
    expect(await collect(new StreamIdentitiesUseCase(new ListIdentityReader([])), 10)).toEqual([]);
  });

  it('stops reading when the caller stops taking batches', async () => {
    const reader = new ListIdentityReader(identities);
    for await (const batch of new StreamIdentitiesUseCase(reader).batches(1)) {
      expect(batch).toHaveLength(1);
      break;
    }
    expect(reader.reads).toHaveLength(1);
  });

  it('uses 1000 for 0 and refuses sizes that are negative, fractional or beyond the maximum', () => {
    const useCase = new StreamIdentitiesUseCase(new ListIdentityReader([]));
    expect(useCase.batchSizeFor(0)).toBe(1000);
    expect(useCase.batchSizeFor(MAX_STREAM_BATCH)).toBe(MAX_STREAM_BATCH);
    for (const size of [MAX_STREAM_BATCH + 1, -1, 1.5]) {
      expect(() => useCase.batchSizeFor(size)).toThrow(
        expect.objectContaining({ code: DirectoryErrorCode.InvalidRequest }) as Error,
      );
    }
  });
});
