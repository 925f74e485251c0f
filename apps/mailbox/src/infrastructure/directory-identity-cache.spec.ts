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

  it('holds misses while two GetIdentities calls are under way and sends them in one call when one returns', async () => {
    const calls: { ids: string[]; answer: () => void }[] = [];
    const client = {
      getIdentities: (
        request: { identities: string[] },
        _metadata: unknown,
        _options: unknown,
        callback: (error: Error | null, response: unknown) => void,
      ) => {
        calls.push({
          ids: request.identities,
          answer: () => {
            callback(null, {
              identities: request.identities.map((identity) => ({
                identity,
                state: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
                publicKey: new Uint8Array(32).fill(1),
              })),
              unknown: [],
            });
          },
        });
      },
    } as unknown as DirectoryClient;
    const cache = new DirectoryIdentityCache(client, new Uint8Array(32), {
      ttlMs: 60_000,
      unknownTtlMs: 1_000,
      maxEntries: 100,
      deadlineMs: 1_000,
    });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const pastTheWindow = () => new Promise((resolve) => setTimeout(resolve, 10));
    const lookups = [cache.lookup('AAAAAAA1')];
    await pastTheWindow();
    lookups.push(cache.lookup('AAAAAAA2'));
    await pastTheWindow();
    lookups.push(cache.lookup('AAAAAAA3'));
    await pastTheWindow();
    lookups.push(cache.lookup('AAAAAAA4'));
    await pastTheWindow();
    expect(calls.map((call) => call.ids)).toEqual([['AAAAAAA1'], ['AAAAAAA2']]);
    calls[0].answer();
    await turn();
    expect(calls.map((call) => call.ids)).toEqual([['AAAAAAA1'], ['AAAAAAA2'], ['AAAAAAA3', 'AAAAAAA4']]);
    calls[1].answer();
    calls[2].answer();
    const answers = await Promise.all(lookups);
    expect(answers.every((info) => info.state === ReceiverState.Active)).toBe(true);
  });

  it('lets a miss wait a few milliseconds, so that misses of different turns share one call', async () => {
    const requests: string[][] = [];
    const answering = directoryAnsweringFromOneBuffer();
    const client = {
      getIdentities: (request: { identities: string[] }, ...rest: unknown[]) => {
        requests.push(request.identities);
        (answering.getIdentities as unknown as (...args: unknown[]) => void)(request, ...rest);
      },
    } as unknown as DirectoryClient;
    const cache = new DirectoryIdentityCache(client, new Uint8Array(32), {
      ttlMs: 60_000,
      unknownTtlMs: 1_000,
      maxEntries: 10,
      deadlineMs: 1_000,
    });
    const first = cache.lookup('ALICE001');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 1));
    const second = cache.lookup('BOBBY002');
    await Promise.all([first, second]);
    expect(requests).toEqual([['ALICE001', 'BOBBY002']]);
  });
});
