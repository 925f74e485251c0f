import { IdentityStateCode, IdentityTypeCode } from '@ots/directory-db';

import { InMemoryIdentityRepository } from '../../../test/in-memory-identity-repository';
import { DirectoryErrorCode } from '../directory-error';
import { FetchIdentitiesUseCase, MAX_IDENTITIES_PER_REQUEST } from './fetch-identities.usecase';

describe('FetchIdentitiesUseCase', () => {
  const repository = new InMemoryIdentityRepository();
  repository.add({ id: 'ACTIVE01', featureMask: 0x0fn, type: IdentityTypeCode.Work });
  repository.add({ id: 'ASLEEP01', state: IdentityStateCode.Inactive });
  repository.add({ id: 'REVOKED1', state: IdentityStateCode.Revoked });
  const fetch = new FetchIdentitiesUseCase(repository);

  it('returns one identity with its public fields', async () => {
    expect(await fetch.fetchOne('ACTIVE01')).toEqual({
      id: 'ACTIVE01',
      publicKey: new Uint8Array(32).fill(7),
      featureMask: 0x0fn,
      state: IdentityStateCode.Active,
      type: IdentityTypeCode.Work,
    });
  });

  it.each([['NOSUCHID'], ['REVOKED1'], ['active01'], ['']])('answers not found for %p', async (id) => {
    await expect(fetch.fetchOne(id)).rejects.toMatchObject({ code: DirectoryErrorCode.IdentityNotFound });
  });

  it('fetches in request order, once each, leaving out unknown, malformed and revoked IDs', async () => {
    const found = await fetch.fetchMany(['ASLEEP01', 'REVOKED1', 'x', 'NOSUCHID', 'ACTIVE01', 'ASLEEP01']);
    expect(found.map((identity) => [identity.id, identity.state])).toEqual([
      ['ASLEEP01', IdentityStateCode.Inactive],
      ['ACTIVE01', IdentityStateCode.Active],
    ]);
  });

  it('does not query storage for an empty or all-malformed request', async () => {
    const before = repository.lookups.length;
    expect(await fetch.fetchMany(['bad', ''])).toEqual([]);
    expect(repository.lookups.length).toBe(before);
  });

  it('refuses more than the per-request limit', async () => {
    const many = new Array<string>(MAX_IDENTITIES_PER_REQUEST + 1).fill('ACTIVE01');
    await expect(fetch.fetchMany(many)).rejects.toMatchObject({ code: DirectoryErrorCode.TooManyIdentities });
  });
});
