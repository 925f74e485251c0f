import { generateX25519KeyPair } from '@ots/crypto';
import { IdentityStateCode } from '@ots/directory-db';

import { answerChallenge } from '../../../test/challenge-client';
import { InMemoryIdentityRepository } from '../../../test/in-memory-identity-repository';
import { ChallengeService } from '../challenge/challenge.service';
import { DirectoryErrorCode } from '../directory-error';
import { SetFeatureMaskUseCase } from './set-feature-mask.usecase';

describe('SetFeatureMaskUseCase', () => {
  const owner = generateX25519KeyPair();
  let repository: InMemoryIdentityRepository;
  let setMask: SetFeatureMaskUseCase;

  beforeEach(() => {
    repository = new InMemoryIdentityRepository();
    repository.add({ id: 'OWNER001', publicKey: owner.publicKey, featureMask: 1n });
    repository.add({ id: 'REVOKED1', publicKey: owner.publicKey, state: IdentityStateCode.Revoked });
    setMask = new SetFeatureMaskUseCase(new ChallengeService(), repository, repository);
  });

  async function challengeFor(identity: string, featureMask: bigint) {
    const result = await setMask.execute({ identity, featureMask });
    if (result.kind !== 'challenge') throw new Error('expected a challenge');
    return result;
  }

  it('stores the mask once the owner answers the challenge', async () => {
    const challenge = await challengeFor('OWNER001', 0x3fn);
    expect(repository.records.get('OWNER001')?.featureMask).toBe(1n);
    const result = await setMask.execute({
      identity: 'OWNER001',
      featureMask: 0x3fn,
      answer: answerChallenge(owner.secretKey, challenge),
    });
    expect(result).toEqual({ kind: 'done' });
    expect(repository.records.get('OWNER001')?.featureMask).toBe(0x3fn);
  });

  it('refuses someone else answering for the identity', async () => {
    const challenge = await challengeFor('OWNER001', 0x3fn);
    const intruder = generateX25519KeyPair();
    await expect(
      setMask.execute({
        identity: 'OWNER001',
        featureMask: 0x3fn,
        answer: answerChallenge(intruder.secretKey, challenge),
      }),
    ).rejects.toMatchObject({ code: DirectoryErrorCode.InvalidToken });
    expect(repository.records.get('OWNER001')?.featureMask).toBe(1n);
  });

  it('refuses a token issued for another mask', async () => {
    const challenge = await challengeFor('OWNER001', 0x3fn);
    await expect(
      setMask.execute({
        identity: 'OWNER001',
        featureMask: 0xffn,
        answer: answerChallenge(owner.secretKey, challenge),
      }),
    ).rejects.toMatchObject({ code: DirectoryErrorCode.InvalidToken });
  });

  it.each([['NOSUCHID'], ['REVOKED1']])('answers not found in phase 1 for %p', async (identity) => {
    await expect(setMask.execute({ identity, featureMask: 1n })).rejects.toMatchObject({
      code: DirectoryErrorCode.IdentityNotFound,
    });
  });

  it('refuses a malformed identity', async () => {
    await expect(setMask.execute({ identity: 'owner001', featureMask: 1n })).rejects.toMatchObject({
      code: DirectoryErrorCode.InvalidIdentity,
    });
  });
});
