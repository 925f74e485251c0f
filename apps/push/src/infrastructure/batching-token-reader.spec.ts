import { type StoredPushToken, TokenSlotCode } from '@ots/push-db';

import { BatchingTokenReader } from './batching-token-reader';

const token = (identity: string): StoredPushToken => ({
  identity,
  deviceId: 1n,
  slot: TokenSlotCode.Regular,
  tokenType: 0x11,
  token: Buffer.from(identity),
  ownPushId: null,
  setAt: new Date(0),
});

describe('BatchingTokenReader', () => {
  it('answers concurrent look-ups from one bulk query', async () => {
    const calls: string[][] = [];
    const reader = new BatchingTokenReader({
      listByIdentities: (ids) => {
        calls.push([...ids]);
        return Promise.resolve(new Map(ids.filter((id) => id !== 'NONE0000').map((id) => [id, [token(id)]])));
      },
    });
    const [a, b, none] = await Promise.all([
      reader.listByIdentity('AAAA0000'),
      reader.listByIdentity('BBBB0000'),
      reader.listByIdentity('NONE0000'),
    ]);
    expect(calls).toEqual([['AAAA0000', 'BBBB0000', 'NONE0000']]);
    expect(a.map((t) => t.identity)).toEqual(['AAAA0000']);
    expect(b.map((t) => t.identity)).toEqual(['BBBB0000']);
    expect(none).toEqual([]);
  });

  it('rejects every look-up of a failed batch, and serves the next batch anew', async () => {
    let fail = true;
    const reader = new BatchingTokenReader({
      listByIdentities: (ids) =>
        fail
          ? Promise.reject(new Error('database down'))
          : Promise.resolve(new Map(ids.map((id) => [id, [token(id)]]))),
    });
    await expect(
      Promise.all([reader.listByIdentity('AAAA0000'), reader.listByIdentity('BBBB0000')]),
    ).rejects.toThrow('database down');
    fail = false;
    expect(await reader.listByIdentity('AAAA0000')).toHaveLength(1);
  });
});
