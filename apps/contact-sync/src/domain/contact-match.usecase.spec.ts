import { HashIndex, type HashMatch, IndexMatches } from '@ots/contact-sync-index';
import {
  directoryChallengeResponse,
  generateX25519KeyPair,
  hashEmail,
  hashPhoneNumber,
  x25519HSalsa20,
} from '@ots/crypto';

import { type ContactMatchSettings, ContactMatchUseCase } from './contact-match.usecase';
import { ContactSyncError, ContactSyncErrorCode } from './contact-sync-error';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function setup(overrides: Partial<ContactMatchSettings> = {}) {
  let now = 1_700_000_000_000;
  const index = new HashIndex();
  const state = { index, ready: true };
  const alice = generateX25519KeyPair();
  const matched: number[] = [];
  const useCase = new ContactMatchUseCase(
    state,
    {
      checkIntervalSeconds: 86_400,
      matchTokenTtlMs: 600_000,
      maxHashesPerRequest: 100,
      hashesPerIdentityPerDay: 1_000,
      requestsPerIdentityPerMinute: 10,
      now: () => now,
      ...overrides,
    },
    (identity) => Promise.resolve(identity === 'ALICE001' ? alice.publicKey : undefined),
    (count) => matched.push(count),
  );
  async function tokenFor(identity = 'ALICE001', secretKey = alice.secretKey): Promise<string> {
    const challenge = await useCase.matchToken({ identity });
    if (challenge.kind !== 'challenge') throw new Error('expected a challenge');
    const response = directoryChallengeResponse(
      x25519HSalsa20(secretKey, challenge.tokenRespKeyPub),
      challenge.token,
    );
    const result = await useCase.matchToken({ identity, token: challenge.token, response });
    if (result.kind !== 'token') throw new Error('expected a token');
    return result.matchToken;
  }
  return { index, state, useCase, matched, tokenFor, advance: (ms: number) => (now += ms) };
}

/** 32-byte hashes back to back, as the HTTP layer decodes them */
const packed = (hashes: readonly Uint8Array[]) => ({
  bytes: Buffer.concat(hashes),
  count: hashes.length,
});

/** useCase.match with the hash lists packed; the answer read back from the scratch as objects. */
function matchOf(
  useCase: ContactMatchUseCase,
  request: {
    matchToken?: string;
    emailHashes: Uint8Array[];
    mobileNoHashes: Uint8Array[];
    includeInactive: boolean;
  },
) {
  const into = new IndexMatches();
  const result = useCase.match(
    { ...request, emailHashes: packed(request.emailHashes), mobileNoHashes: packed(request.mobileNoHashes) },
    into,
  );
  const identities: HashMatch[] = [];
  for (let m = 0; m < result.identities.length; m++) {
    const emailAt = into.emailAt(m);
    const mobileNoAt = into.mobileNoAt(m);
    identities.push({
      identity: into.identity(m),
      publicKey: into.publicKeys.slice(m * 32, m * 32 + 32),
      active: into.active(m),
      ...(emailAt < 0 ? {} : { emailHash: request.emailHashes[emailAt] }),
      ...(mobileNoAt < 0 ? {} : { mobileNoHash: request.mobileNoHashes[mobileNoAt] }),
    });
  }
  return { checkInterval: result.checkInterval, identities };
}

async function codeOf(action: () => unknown): Promise<ContactSyncError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof ContactSyncError) return error;
    throw error;
  }
  throw new Error('expected a ContactSyncError');
}

describe('ContactMatchUseCase', () => {
  it('matches the spec §11.1.2 vectors (test@threema.ch, 41791234567) and reports checkInterval', async () => {
    const { index, useCase, tokenFor, matched } = setup();
    const bob = generateX25519KeyPair();
    const email = hashEmail('test@threema.ch');
    const phone = hashPhoneNumber('41791234567');
    expect(b64(email)).toBe('HqCTI5zF8OG27IG4ZiZbkh8m3EAzAlQQBjMJ9NGo7iw=');
    expect(b64(phone)).toBe('rTmPTX6+Y8ZVCkhsxuB/m6oJvZ2LPYy52b4QbTWn/bw=');
    index.link({ kind: 'email', hash: email, identity: 'BOB00001', publicKey: bob.publicKey, active: true });
    index.link({
      kind: 'mobileNo',
      hash: phone,
      identity: 'BOB00001',
      publicKey: bob.publicKey,
      active: true,
    });
    const result = matchOf(useCase, {
      matchToken: await tokenFor(),
      emailHashes: [email, hashEmail('nobody@example.org')],
      mobileNoHashes: [phone],
      includeInactive: false,
    });
    expect(result.checkInterval).toBe(86_400);
    expect(result.identities).toEqual([
      { identity: 'BOB00001', publicKey: bob.publicKey, active: true, emailHash: email, mobileNoHash: phone },
    ]);
    expect(matched).toEqual([1]);
  });

  it('leaves inactive identities out unless includeInactive', async () => {
    const { index, useCase, tokenFor } = setup();
    const hash = hashEmail('x@example.org');
    index.link({ kind: 'email', hash, identity: 'CAROL001', publicKey: new Uint8Array(32), active: false });
    const matchToken = await tokenFor();
    expect(
      matchOf(useCase, { matchToken, emailHashes: [hash], mobileNoHashes: [], includeInactive: false })
        .identities,
    ).toEqual([]);
    expect(
      matchOf(useCase, { matchToken, emailHashes: [hash], mobileNoHashes: [], includeInactive: true })
        .identities,
    ).toHaveLength(1);
  });

  it('refuses a wrong response, a reused challenge, an unknown identity and a missing or expired match token', async () => {
    const { useCase, tokenFor, advance } = setup();
    const mallory = generateX25519KeyPair();
    expect((await codeOf(() => tokenFor('ALICE001', mallory.secretKey))).code).toBe(
      ContactSyncErrorCode.InvalidToken,
    );
    expect((await codeOf(() => tokenFor('UNKNOWN1', mallory.secretKey))).code).toBe(
      ContactSyncErrorCode.UnknownIdentity,
    );
    const challenge = await useCase.matchToken({ identity: 'ALICE001' });
    if (challenge.kind !== 'challenge') throw new Error('expected a challenge');
    const response = new Uint8Array(32);
    await codeOf(() => useCase.matchToken({ identity: 'ALICE001', token: challenge.token, response }));
    expect(
      (await codeOf(() => useCase.matchToken({ identity: 'ALICE001', token: challenge.token, response })))
        .code,
    ).toBe(ContactSyncErrorCode.InvalidToken);
    const empty = { emailHashes: [], mobileNoHashes: [], includeInactive: false };
    expect((await codeOf(() => matchOf(useCase, empty))).code).toBe(ContactSyncErrorCode.InvalidToken);
    const matchToken = await tokenFor();
    expect(matchOf(useCase, { ...empty, matchToken }).identities).toEqual([]);
    advance(600_001);
    expect((await codeOf(() => matchOf(useCase, { ...empty, matchToken }))).code).toBe(
      ContactSyncErrorCode.InvalidToken,
    );
  });

  it('caps requests per identity per minute and hashes per identity per day with Retry-After', async () => {
    const { useCase, tokenFor, advance } = setup({
      requestsPerIdentityPerMinute: 3,
      hashesPerIdentityPerDay: 150,
    });
    const matchToken = await tokenFor(); // 2 requests
    const hashes = Array.from({ length: 100 }, (_, i) => hashEmail(`${i}@example.org`));
    matchOf(useCase, { matchToken, emailHashes: hashes, mobileNoHashes: [], includeInactive: false }); // 3rd
    const perMinute = await codeOf(() =>
      matchOf(useCase, { matchToken, emailHashes: [], mobileNoHashes: [], includeInactive: false }),
    );
    expect(perMinute.code).toBe(ContactSyncErrorCode.RateLimited);
    expect(perMinute.retryAfterSeconds).toBeGreaterThan(0);
    advance(120_000);
    const perDay = await codeOf(() =>
      matchOf(useCase, { matchToken, emailHashes: hashes, mobileNoHashes: [], includeInactive: false }),
    );
    expect(perDay.code).toBe(ContactSyncErrorCode.RateLimited);
    expect(perDay.retryAfterSeconds).toBeGreaterThan(3_600);
  });

  it('rejects more hashes than allowed per request and answers not-ready while the index loads', async () => {
    const { useCase, tokenFor, state } = setup({ maxHashesPerRequest: 2 });
    const matchToken = await tokenFor();
    const three = [1, 2, 3].map((i) => hashEmail(`${i}@example.org`));
    expect(
      (
        await codeOf(() =>
          matchOf(useCase, { matchToken, emailHashes: three, mobileNoHashes: [], includeInactive: false }),
        )
      ).code,
    ).toBe(ContactSyncErrorCode.TooManyHashes);
    state.ready = false;
    const notReady = await codeOf(() =>
      matchOf(useCase, { matchToken, emailHashes: [], mobileNoHashes: [], includeInactive: false }),
    );
    expect(notReady.code).toBe(ContactSyncErrorCode.NotReady);
  });
});
