import { directoryV1 } from '@ots/contracts';
import type { DirectoryClient } from '@ots/internal-clients';

import { ReceiverState } from '../domain/ports';
import { DirectoryIdentityCache } from './directory-identity-cache';
import type { IdentityReplica } from './identity-replica';

interface FakeCall {
  readonly ids: string[];
  answer(): void;
}

/**
 * A directory whose answer's keys are views into one large buffer, as a decoded gRPC response's are. It records
 * each call; with `holdAnswers` a call is answered only when the test says so.
 */
function fakeDirectory(holdAnswers = false): { client: DirectoryClient; calls: FakeCall[] } {
  const response = new Uint8Array(64 * 1024).fill(7);
  const calls: FakeCall[] = [];
  const client = {
    getIdentities: (
      request: { identities: string[] },
      _metadata: unknown,
      _options: unknown,
      callback: (error: Error | null, response: unknown) => void,
    ) => {
      const call = {
        ids: request.identities,
        answer: () => {
          callback(null, {
            identities: request.identities.map((identity, index) => ({
              identity,
              state: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
              publicKey: response.subarray(index * 32, index * 32 + 32),
            })),
            unknown: [],
          });
        },
      };
      calls.push(call);
      if (!holdAnswers) call.answer();
    },
  } as unknown as DirectoryClient;
  return { client, calls };
}

describe('DirectoryIdentityCache', () => {
  it('keeps its own copy of each key, not a view that would hold the whole response in memory', async () => {
    const cache = new DirectoryIdentityCache(fakeDirectory().client, new Uint8Array(32), {
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
    const { client, calls } = fakeDirectory(true);
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
    const { client, calls } = fakeDirectory();
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
    expect(calls.map((call) => call.ids)).toEqual([['ALICE001', 'BOBBY002']]);
  });

  it('answers from the replica without a call, and asks the directory for what the replica does not hold', async () => {
    const { client, calls } = fakeDirectory();
    const replicated = { state: ReceiverState.Revoked, publicKey: new Uint8Array(32).fill(5) };
    const replica = {
      get: (identity: string) => (identity === 'ALICE001' ? replicated : undefined),
    } as unknown as IdentityReplica;
    const options = { ttlMs: 60_000, unknownTtlMs: 1_000, maxEntries: 10, deadlineMs: 1_000 };
    const cache = new DirectoryIdentityCache(client, new Uint8Array(32), options, Date.now, replica);
    expect(await cache.lookup('ALICE001')).toBe(replicated);
    expect(calls).toHaveLength(0);
    expect((await cache.lookup('BOBBY002')).state).toBe(ReceiverState.Active);
    expect(calls.map((call) => call.ids)).toEqual([['BOBBY002']]);
  });

  it('computes SS1 once per identity and key, keeps at most maxEntries of them, and erases a forgotten one', () => {
    const cache = new DirectoryIdentityCache(fakeDirectory().client, new Uint8Array(32).fill(1), {
      ttlMs: 60_000,
      unknownTtlMs: 1_000,
      maxEntries: 2,
      deadlineMs: 1_000,
    });
    const aliceKey = new Uint8Array(32).fill(2);
    const first = cache.permanentSharedSecret('ALICE001', aliceKey);
    expect(cache.permanentSharedSecret('ALICE001', new Uint8Array(aliceKey))).toBe(first);
    // the caller's array may change later: the comparison is against a copy
    aliceKey.fill(3);
    const other = cache.permanentSharedSecret('ALICE001', aliceKey);
    expect(other).not.toBe(first);
    expect(Buffer.from(other).equals(Buffer.from(first))).toBe(false);
    cache.forget('ALICE001');
    expect(other).toEqual(new Uint8Array(32));
    // at most two: the oldest goes
    const bob = cache.permanentSharedSecret('BOBBY002', new Uint8Array(32).fill(4));
    cache.permanentSharedSecret('CAROL003', new Uint8Array(32).fill(5));
    cache.permanentSharedSecret('DAVE0004', new Uint8Array(32).fill(6));
    expect(bob).toEqual(new Uint8Array(32));
  });
});
