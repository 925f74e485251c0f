import { IdentityStateCode } from '@ots/directory-db';

import { DirectoryErrorCode } from '../directory-error';
import { MAX_STREAM_BATCH } from '../keyset-batches';
import { HashKind, type LinkedHashEntry } from '../linked-hash';
import { type LinkedHashReader, StreamLinkedHashesUseCase } from './stream-linked-hashes.usecase';

function entry(id: string, kind: HashKind): LinkedHashEntry {
  return {
    kind,
    hash: new Uint8Array(32).fill(kind),
    identity: {
      id,
      publicKey: new Uint8Array(32),
      state: IdentityStateCode.Active,
    },
  };
}

describe('StreamLinkedHashesUseCase', () => {
  // five identities, the first and third with both kinds: seven entries
  const ids = ['A0000001', 'A0000002', 'A0000003', 'A0000004', 'A0000005'];
  const reader: LinkedHashReader & { cursors: (string | undefined)[] } = {
    cursors: [],
    linkedHashesAfter(cursor, limit) {
      this.cursors.push(cursor);
      const start = cursor === undefined ? 0 : ids.indexOf(cursor) + 1;
      const page = ids.slice(start, start + limit);
      const entries = page.flatMap((id, i) =>
        (start + i) % 2 === 0 && start + i < 3
          ? [entry(id, HashKind.Email), entry(id, HashKind.MobileNo)]
          : [entry(id, HashKind.Email)],
      );
      return Promise.resolve({ entries, nextCursor: page.length === limit ? page.at(-1) : undefined });
    },
  };
  const useCase = new StreamLinkedHashesUseCase(reader);

  it('emits every entry exactly once in batches of at most the batch size', async () => {
    reader.cursors = [];
    const batches: LinkedHashEntry[][] = [];
    for await (const batch of useCase.batches(2)) batches.push(batch);
    expect(batches.map((batch) => batch.length)).toEqual([2, 2, 2, 1]);
    expect(batches.flat().map((e) => `${e.identity.id}:${String(e.kind)}`)).toEqual([
      'A0000001:1',
      'A0000001:2',
      'A0000002:1',
      'A0000003:1',
      'A0000003:2',
      'A0000004:1',
      'A0000005:1',
    ]);
    expect(reader.cursors).toEqual([undefined, 'A0000002', 'A0000004']);
  });

  it('uses 1000 for 0 and refuses sizes beyond the maximum', () => {
    expect(useCase.batchSizeFor(0)).toBe(1000);
    expect(useCase.batchSizeFor(7)).toBe(7);
    expect(() => useCase.batchSizeFor(MAX_STREAM_BATCH + 1)).toThrow(
      expect.objectContaining({ code: DirectoryErrorCode.InvalidRequest }) as Error,
    );
  });
});
