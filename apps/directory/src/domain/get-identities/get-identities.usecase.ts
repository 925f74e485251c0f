import type { IdentityRecord } from '@ots/directory-db';

import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import { isIdentityId } from '../identity-id';

export const MAX_IDENTITIES_PER_LOOKUP = 1000;

export interface IdentityLookup {
  findByIds(ids: readonly string[]): Promise<IdentityRecord[]>;
}

export interface GetIdentitiesResult {
  readonly found: readonly IdentityRecord[];
  readonly unknown: readonly string[];
}

/** Look up identities for other services (the mailbox's login check, receiver checks, the export). */
export class GetIdentitiesUseCase {
  constructor(private readonly identities: IdentityLookup) {}

  async execute(requested: readonly string[]): Promise<GetIdentitiesResult> {
    if (requested.length > MAX_IDENTITIES_PER_LOOKUP) {
      throw new DirectoryError(
        DirectoryErrorCode.TooManyIdentities,
        `at most ${String(MAX_IDENTITIES_PER_LOOKUP)} identities per request`,
      );
    }
    const ids = [...new Set(requested)];
    if (!ids.every(isIdentityId)) {
      throw new DirectoryError(
        DirectoryErrorCode.InvalidIdentity,
        'identities must be 8 characters [0-9A-Z*]',
      );
    }
    const found = await this.identities.findByIds(ids);
    const foundIds = new Set(found.map((identity) => identity.id));
    // keep the caller's order so the answer reads like the request
    const byId = new Map(found.map((identity) => [identity.id, identity]));
    return {
      found: ids.flatMap((id) => byId.get(id) ?? []),
      unknown: ids.filter((id) => !foundIds.has(id)),
    };
  }
}
