import { generateX25519KeyPair } from '@ots/crypto';
import { IdentityStateCode } from '@ots/directory-db';

import { answerChallenge } from '../../../test/challenge-client';
import { InMemoryIdentityRepository } from '../../../test/in-memory-identity-repository';
import { ChallengeService } from '../challenge/challenge.service';
import { DirectoryErrorCode } from '../directory-error';
import type { DirectoryEvents } from '../directory-events';
import { SignedCallVerifier } from '../signed-call';
import type { ChallengeIssued } from '../signed-request';
import {
  CheckRevocationKeyUseCase,
  type RevocationStore,
  RevokeIdentityUseCase,
  SetRevocationKeyUseCase,
} from './revocation.usecases';
import { revocationKeyHash } from './revocation-key';

class InMemoryRevocationStore implements RevocationStore {
  readonly keys = new Map<string, { keyHash: Uint8Array; changedAt: Date }>();
  constructor(private readonly identities: InMemoryIdentityRepository) {}

  setRevocationKey(identity: string, keyHash: Uint8Array, changedAt: Date): Promise<boolean> {
    this.keys.set(identity, { keyHash, changedAt });
    return Promise.resolve(true);
  }

  findRevocationKey(identity: string) {
    return Promise.resolve(this.keys.get(identity));
  }

  revoke(identity: string): Promise<boolean> {
    const record = this.identities.records.get(identity);
    if (record === undefined || record.state === IdentityStateCode.Revoked) return Promise.resolve(false);
    this.identities.records.set(identity, { ...record, state: IdentityStateCode.Revoked });
    this.keys.delete(identity);
    return Promise.resolve(true);
  }
}

describe('revocation use cases', () => {
  const key = generateX25519KeyPair();
  const password = Uint8Array.of(1, 2, 3, 4);
  let identities: InMemoryIdentityRepository;
  let store: InMemoryRevocationStore;
  let revoked: string[];
  let signed: SignedCallVerifier;
  const events: DirectoryEvents = {
    identityCreated: () => undefined,
    identityRevoked: (identity) => revoked.push(identity),
    hashLinked: () => undefined,
    hashUnlinked: () => undefined,
  };

  beforeEach(() => {
    identities = new InMemoryIdentityRepository();
    identities.add({ id: 'ECHOECHO', publicKey: key.publicKey });
    store = new InMemoryRevocationStore(identities);
    revoked = [];
    signed = new SignedCallVerifier(new ChallengeService(), identities);
  });

  const answer = (issued: ChallengeIssued | { kind: string }) =>
    answerChallenge(key.secretKey, issued as ChallengeIssued);

  it('sets a revocation key (stored as a hash) and reports when it changed', async () => {
    const now = new Date('2026-02-03T04:05:06.789Z');
    const set = new SetRevocationKeyUseCase(signed, store, () => now);
    const command = { identity: 'ECHOECHO', revocationKey: password };
    const done = await set.execute({ ...command, answer: answer(await set.execute(command)) });
    expect(done).toEqual({ kind: 'done' });
    expect(store.keys.get('ECHOECHO')).toEqual({
      keyHash: revocationKeyHash('ECHOECHO', password),
      changedAt: now,
    });

    const check = new CheckRevocationKeyUseCase(signed, store);
    const phaseOne = await check.execute({ identity: 'ECHOECHO' });
    expect(await check.execute({ identity: 'ECHOECHO', answer: answer(phaseOne) })).toEqual({
      kind: 'status',
      lastChanged: now,
    });
  });

  it('refuses a revocation key that is not 4 bytes', async () => {
    const set = new SetRevocationKeyUseCase(signed, store);
    await expect(
      set.execute({ identity: 'ECHOECHO', revocationKey: new Uint8Array(5) }),
    ).rejects.toMatchObject({
      code: DirectoryErrorCode.InvalidRequest,
    });
  });

  it('revokes by signature and announces it once', async () => {
    const revoke = new RevokeIdentityUseCase(signed, store, events);
    const phaseOne = await revoke.bySignature({ identity: 'ECHOECHO' });
    await revoke.bySignature({ identity: 'ECHOECHO', answer: answer(phaseOne) });
    expect(identities.records.get('ECHOECHO')?.state).toBe(IdentityStateCode.Revoked);
    expect(revoked).toEqual(['ECHOECHO']);
    await expect(revoke.bySignature({ identity: 'ECHOECHO' })).rejects.toMatchObject({
      code: DirectoryErrorCode.IdentityNotFound,
    });
  });

  it('revokes with the right revocation key only', async () => {
    await store.setRevocationKey('ECHOECHO', revocationKeyHash('ECHOECHO', password), new Date());
    const revoke = new RevokeIdentityUseCase(signed, store, events);
    await expect(
      revoke.byRevocationKey({ identity: 'ECHOECHO', revocationKey: Uint8Array.of(1, 2, 3, 5) }),
    ).rejects.toMatchObject({ code: DirectoryErrorCode.WrongRevocationKey });
    expect(revoked).toEqual([]);
    await revoke.byRevocationKey({ identity: 'ECHOECHO', revocationKey: password });
    expect(revoked).toEqual(['ECHOECHO']);
  });

  it('refuses ws/revoke when no key was ever set', async () => {
    const revoke = new RevokeIdentityUseCase(signed, store, events);
    await expect(
      revoke.byRevocationKey({ identity: 'ECHOECHO', revocationKey: new Uint8Array(4) }),
    ).rejects.toMatchObject({ code: DirectoryErrorCode.WrongRevocationKey });
    expect(identities.records.get('ECHOECHO')?.state).toBe(IdentityStateCode.Active);
  });

  it('binds the revocation key to the identity', () => {
    expect(revocationKeyHash('ECHOECHO', password)).not.toEqual(revocationKeyHash('ECHOECH2', password));
  });
});
