import { generateX25519KeyPair } from '@ots/crypto';
import { IdentityStateCode, IdentityTypeCode } from '@ots/directory-db';

import { answerChallenge } from '../../../test/challenge-client';
import { InMemoryIdentityRepository } from '../../../test/in-memory-identity-repository';
import { ChallengeService } from '../challenge/challenge.service';
import { DirectoryErrorCode } from '../directory-error';
import type { DirectoryEvents } from '../directory-events';
import type { IdentitySummary } from '../identity-summary';
import { CreateIdentityUseCase } from './create-identity.usecase';

describe('CreateIdentityUseCase', () => {
  let repository: InMemoryIdentityRepository;
  let challenges: ChallengeService;
  let created: IdentitySummary[];
  const client = generateX25519KeyPair();
  const events: DirectoryEvents = {
    identityCreated: (identity) => {
      // published after the commit: the identity is already stored
      expect(repository.records.has(identity.id)).toBe(true);
      created.push(identity);
    },
    identityRevoked: () => undefined,
    hashLinked: () => undefined,
    hashUnlinked: () => undefined,
  };

  function useCase(ids?: string[]): CreateIdentityUseCase {
    return new CreateIdentityUseCase(challenges, repository, events, {
      serverGroup: '4f',
      generateId: ids ? () => ids.shift() ?? 'EXHAUSTD' : undefined,
    });
  }

  beforeEach(() => {
    repository = new InMemoryIdentityRepository();
    challenges = new ChallengeService();
    created = [];
  });

  async function phaseOne(create: CreateIdentityUseCase, publicKey = client.publicKey) {
    const result = await create.execute({ publicKey });
    if (result.kind !== 'challenge') throw new Error('expected a challenge');
    return result;
  }

  it('issues a challenge, then stores the key under a fresh random ID', async () => {
    const create = useCase();
    const challenge = await phaseOne(create);
    expect(repository.records.size).toBe(0);
    const result = await create.execute({
      publicKey: client.publicKey,
      answer: answerChallenge(client.secretKey, challenge),
    });
    expect(result).toMatchObject({ kind: 'created', serverGroup: '4f' });
    if (result.kind !== 'created') throw new Error('expected created');
    expect(result.identity).toMatch(/^[0-9A-Z]{8}$/);
    const stored = repository.records.get(result.identity);
    expect(stored?.serverGroup).toBe('4f');
    expect(Buffer.from(stored?.publicKey ?? []).equals(Buffer.from(client.publicKey))).toBe(true);
  });

  it('publishes IdentityCreated with the stored identity, once', async () => {
    repository.add({ id: 'TAKEN001' });
    const create = useCase(['TAKEN001', 'FREE0002']);
    const challenge = await phaseOne(create);
    expect(created).toEqual([]);
    await create.execute({
      publicKey: client.publicKey,
      answer: answerChallenge(client.secretKey, challenge),
    });
    expect(created).toEqual([
      {
        id: 'FREE0002',
        publicKey: client.publicKey,
        state: IdentityStateCode.Active,
        type: IdentityTypeCode.Regular,
        featureMask: 0n,
        serverGroup: '4f',
      },
    ]);
  });

  it('draws another ID when the first is taken', async () => {
    repository.add({ id: 'TAKEN001' });
    const create = useCase(['TAKEN001', 'FREE0002']);
    const challenge = await phaseOne(create);
    const result = await create.execute({
      publicKey: client.publicKey,
      answer: answerChallenge(client.secretKey, challenge),
    });
    expect(result).toEqual({ kind: 'created', identity: 'FREE0002', serverGroup: '4f' });
  });

  it('gives up after repeated collisions', async () => {
    repository.add({ id: 'TAKEN001' });
    const create = useCase(new Array<string>(20).fill('TAKEN001'));
    const challenge = await phaseOne(create);
    await expect(
      create.execute({ publicKey: client.publicKey, answer: answerChallenge(client.secretKey, challenge) }),
    ).rejects.toMatchObject({ code: DirectoryErrorCode.IdentityAllocationFailed });
    expect(created).toEqual([]);
  });

  it('refuses a response made with another secret key and burns the token', async () => {
    const create = useCase();
    const challenge = await phaseOne(create);
    const intruder = generateX25519KeyPair();
    await expect(
      create.execute({ publicKey: client.publicKey, answer: answerChallenge(intruder.secretKey, challenge) }),
    ).rejects.toMatchObject({ code: DirectoryErrorCode.InvalidToken });
    await expect(
      create.execute({ publicKey: client.publicKey, answer: answerChallenge(client.secretKey, challenge) }),
    ).rejects.toMatchObject({ code: DirectoryErrorCode.InvalidToken });
    expect(repository.records.size).toBe(0);
    expect(created).toEqual([]);
  });

  it('refuses a token issued for another public key', async () => {
    const create = useCase();
    const other = generateX25519KeyPair();
    const challenge = await phaseOne(create, other.publicKey);
    await expect(
      create.execute({ publicKey: client.publicKey, answer: answerChallenge(client.secretKey, challenge) }),
    ).rejects.toMatchObject({ code: DirectoryErrorCode.InvalidToken });
  });

  it('refuses a public key that is not 32 bytes', async () => {
    await expect(useCase().execute({ publicKey: new Uint8Array(31) })).rejects.toMatchObject({
      code: DirectoryErrorCode.InvalidPublicKey,
    });
  });
});
