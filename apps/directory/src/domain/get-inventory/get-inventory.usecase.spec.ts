import { IdentityStateCode, IdentityTypeCode } from '@ots/directory-db';

import { DirectoryErrorCode } from '../directory-error';
import { GetInventoryUseCase, type IdentityInventory } from './get-inventory.usecase';

describe('GetInventoryUseCase', () => {
  const inventory: IdentityInventory = {
    identity: {
      id: 'ECHOECHO',
      publicKey: new Uint8Array(32),
      state: IdentityStateCode.Active,
      type: IdentityTypeCode.Regular,
      featureMask: 0n,
      serverGroup: '00',
      createdAt: new Date(1),
      lastLoginAt: null,
    },
    emailHash: null,
    mobileNoHash: null,
    revocationKeyChangedAt: null,
    pendingLinks: [],
  };
  const useCase = new GetInventoryUseCase({
    findInventory: (id) => Promise.resolve(id === 'ECHOECHO' ? inventory : undefined),
  });

  it('returns the stored inventory', async () => {
    await expect(useCase.execute('ECHOECHO')).resolves.toBe(inventory);
  });

  it('answers not found for an unknown identity and invalid for a malformed one', async () => {
    await expect(useCase.execute('NOSUCHID')).rejects.toMatchObject({
      code: DirectoryErrorCode.IdentityNotFound,
    });
    await expect(useCase.execute('')).rejects.toMatchObject({ code: DirectoryErrorCode.InvalidIdentity });
  });
});
