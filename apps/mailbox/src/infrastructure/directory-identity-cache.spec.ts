import { directoryV1 } from '@ots/contracts';
import type { DirectoryClient } from '@ots/internal-clients';

import { ReceiverState } from '../domain/ports';
import { DirectoryIdentityCache } from './directory-identity-cache';

/** A directory whose answer's keys are views into one large buffer, as a decoded gRPC response's are. */
function directoryAnsweringFromOneBuffer(): DirectoryClient {
  const response = new Uint8Array(64 * 1024).fill(7);
  return {
    getIdentities: (
      request: { identities: string[] },
      _metadata: unknown,
      _options: unknown,
      callback: (error: Error | null, response: unknown) => void,
    ) => {
      callback(null, {
        identities: request.identities.map((identity, index) => ({
          identity,
          state: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
          publicKey: response.subarray(index * 32, index * 32 + 32),
        })),
        unknown: [],
      });
    },
  } as unknown as DirectoryClient;
}

describe('DirectoryIdentityCache', () => {
  it('keeps its own copy of each key, not a view that would hold the whole response in memory', async () => {
    const cache = new DirectoryIdentityCache(directoryAnsweringFromOneBuffer(), new Uint8Array(32), {
      ttlMs: 60_000,
      unknownTtlMs: 1_000,
      maxEntries: 10,
      deadlineMs: 1_000,
    });
    const [first, second] = await Promise.all([cache.lookup('ALICE001'), cache.lookup('BOBBY002')]);
    expect(first.state).toBe(ReceiverState.Active);
    expect(first.publicKey).toEqual(new Uint8Array(32).fill(7));
    expect(first.publicKey.buffer.byteLength).toBe(32);
    expect(second.publicKey.buffer.byteLength).toBe(32);
    // and the cached answer is the same copy
    expect((await cache.lookup('ALICE001')).publicKey).toBe(first.publicKey);
  });
});
