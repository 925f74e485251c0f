import { IdentityStateCode, IdentityTypeCode } from '@ots/directory-db';

import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import { MAX_IDENTITIES_PER_REQUEST } from '../fetch-identities/fetch-identities.usecase';
import type { IdentityLookup } from '../get-identities/get-identities.usecase';
import { isIdentityId } from '../identity-id';

/** spec §4.3 identity/check states; revoked, unknown and malformed IDs are all invalid. */
export enum CheckedState {
  Active = 0,
  Inactive = 1,
  Invalid = 2,
}

export interface IdentityStatus {
  readonly state: CheckedState;
  readonly type: IdentityTypeCode;
  /** null for an invalid identity */
  readonly featureMask: bigint | null;
}

const INVALID: IdentityStatus = {
  state: CheckedState.Invalid,
  type: IdentityTypeCode.Regular,
  featureMask: null,
};

/** spec §4.3 identity/check and identity/check_featuremask: one status per requested ID, in request order. */
export class CheckIdentitiesUseCase {
  constructor(private readonly identities: IdentityLookup) {}

  async execute(requested: readonly string[]): Promise<IdentityStatus[]> {
    if (requested.length > MAX_IDENTITIES_PER_REQUEST) {
      throw new DirectoryError(
        DirectoryErrorCode.TooManyIdentities,
        `at most ${MAX_IDENTITIES_PER_REQUEST} identities per request`,
      );
    }
    const ids = [...new Set(requested)].filter(isIdentityId);
    const found = ids.length === 0 ? [] : await this.identities.findByIds(ids);
    const byId = new Map(found.map((record) => [record.id, record]));
    return requested.map((id) => {
      const record = byId.get(id);
      if (record === undefined || record.state === IdentityStateCode.Revoked) return INVALID;
      const state = record.state === IdentityStateCode.Active ? CheckedState.Active : CheckedState.Inactive;
      return { state, type: record.type, featureMask: record.featureMask };
    });
  }
}
