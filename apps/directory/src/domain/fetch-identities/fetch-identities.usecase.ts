import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import type { IdentityLookup } from '../get-identities/get-identities.usecase';
import { isIdentityId } from '../identity-id';
import { type PublicIdentity, toPublicIdentity } from '../public-identity';

export const MAX_IDENTITIES_PER_REQUEST = 1000;

/** spec §4.3 GET identity/<ID> and identity/fetch_bulk: unknown, malformed and revoked IDs are left out. */
export class FetchIdentitiesUseCase {
  constructor(private readonly identities: IdentityLookup) {}

  async fetchOne(id: string): Promise<PublicIdentity> {
    const found = (await this.fetchMany([id])).at(0);
    if (found === undefined)
      throw new DirectoryError(DirectoryErrorCode.IdentityNotFound, 'identity not found');
    return found;
  }

  async fetchMany(requested: readonly string[]): Promise<PublicIdentity[]> {
    if (requested.length > MAX_IDENTITIES_PER_REQUEST) {
      throw new DirectoryError(
        DirectoryErrorCode.TooManyIdentities,
        `at most ${MAX_IDENTITIES_PER_REQUEST} identities per request`,
      );
    }
    const ids = [...new Set(requested)].filter(isIdentityId);
    if (ids.length === 0) return [];
    const byId = new Map((await this.identities.findByIds(ids)).map((record) => [record.id, record]));
    return ids.flatMap((id) => {
      const record = byId.get(id);
      return (record && toPublicIdentity(record)) ?? [];
    });
  }
}
