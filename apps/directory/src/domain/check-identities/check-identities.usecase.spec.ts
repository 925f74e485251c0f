import { IdentityStateCode, IdentityTypeCode } from '@ots/directory-db';

import { InMemoryIdentityRepository } from '../../../test/in-memory-identity-repository';
import { DirectoryErrorCode } from '../directory-error';
import { MAX_IDENTITIES_PER_REQUEST } from '../fetch-identities/fetch-identities.usecase';
import { CheckedState, CheckIdentitiesUseCase } from './check-identities.usecase';

describe('CheckIdentitiesUseCase', () => {
  const repository = new InMemoryIdentityRepository();
  repository.add({ id: 'ACTIVE01', featureMask: 0x0fn, type: IdentityTypeCode.Work });
  repository.add({ id: 'ASLEEP01', state: IdentityStateCode.Inactive, featureMask: 1n });
  repository.add({ id: 'REVOKED1', state: IdentityStateCode.Revoked, featureMask: 3n });
  const check = new CheckIdentitiesUseCase(repository);

  it('answers one status per requested ID in request order, duplicates included', async () => {
    expect(await check.execute(['REVOKED1', 'ACTIVE01', 'nope', 'ASLEEP01', 'NOSUCHID', 'ACTIVE01'])).toEqual(
      [
        { state: CheckedState.Invalid, type: IdentityTypeCode.Regular, featureMask: null },
        { state: CheckedState.Active, type: IdentityTypeCode.Work, featureMask: 0x0fn },
        { state: CheckedState.Invalid, type: IdentityTypeCode.Regular, featureMask: null },
        { state: CheckedState.Inactive, type: IdentityTypeCode.Regular, featureMask: 1n },
        { state: CheckedState.Invalid, type: IdentityTypeCode.Regular, featureMask: null },
        { state: CheckedState.Active, type: IdentityTypeCode.Work, featureMask: 0x0fn },
      ],
    );
  });

  it('refuses more than the per-request limit', async () => {
    const many = new Array<string>(MAX_IDENTITIES_PER_REQUEST + 1).fill('ACTIVE01');
    await expect(check.execute(many)).rejects.toMatchObject({ code: DirectoryErrorCode.TooManyIdentities });
  });
});
