import { type IdentityRecord, IdentityStateCode, IdentityTypeCode } from '@ots/directory-db';

import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import {
  GetIdentitiesUseCase,
  type IdentityLookup,
  MAX_IDENTITIES_PER_LOOKUP,
} from './get-identities.usecase';

function record(id: string): IdentityRecord {
  return {
    id,
    publicKey: new Uint8Array(32).fill(1),
    state: IdentityStateCode.Active,
    type: IdentityTypeCode.Regular,
    featureMask: 3n,
    serverGroup: '00',
    createdAt: new Date(0),
    lastLoginAt: null,
  };
}

describe('GetIdentitiesUseCase', () => {
  const stored = new Map([
    ['ECHOECHO', record('ECHOECHO')],
    ['*MY3DATA', record('*MY3DATA')],
  ]);
  const lookup: IdentityLookup & { calls: string[][] } = {
    calls: [],
    findByIds(ids) {
      this.calls.push([...ids]);
      return Promise.resolve(ids.flatMap((id) => stored.get(id) ?? []));
    },
  };
  const useCase = new GetIdentitiesUseCase(lookup);

  it('returns found identities in request order and lists unknown ones', async () => {
    const result = await useCase.execute(['*MY3DATA', 'NOSUCHID', 'ECHOECHO', 'ECHOECHO']);
    expect(result.found.map((r) => r.id)).toEqual(['*MY3DATA', 'ECHOECHO']);
    expect(result.unknown).toEqual(['NOSUCHID']);
    expect(lookup.calls.at(-1)).toEqual(['*MY3DATA', 'NOSUCHID', 'ECHOECHO']);
  });

  it.each([['echoecho'], ['SHORT'], ['TOOLONGID'], ['AB*DEFGH'], ['']])(
    'rejects malformed id %p',
    async (id) => {
      await expect(useCase.execute([id])).rejects.toMatchObject({ code: DirectoryErrorCode.InvalidIdentity });
    },
  );

  it('refuses oversized look-ups before touching storage', async () => {
    const before = lookup.calls.length;
    const many = Array.from({ length: MAX_IDENTITIES_PER_LOOKUP + 1 }, () => 'ECHOECHO');
    await expect(useCase.execute(many)).rejects.toBeInstanceOf(DirectoryError);
    expect(lookup.calls.length).toBe(before);
  });
});
