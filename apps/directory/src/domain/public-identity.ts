import { type IdentityRecord, IdentityStateCode } from '@ots/directory-db';

/** An identity as the public directory shows it: active or inactive, never revoked. */
export interface PublicIdentity {
  readonly id: string;
  readonly publicKey: Uint8Array;
  readonly featureMask: bigint;
  readonly state: IdentityStateCode.Active | IdentityStateCode.Inactive;
  readonly type: IdentityRecord['type'];
}

export function toPublicIdentity(record: IdentityRecord): PublicIdentity | undefined {
  if (record.state === IdentityStateCode.Revoked) return undefined;
  return {
    id: record.id,
    publicKey: record.publicKey,
    featureMask: record.featureMask,
    state: record.state,
    type: record.type,
  };
}

// Deprecated feature levels as older clients read them: each level needs all the mask bits of the levels below
// (0x01 audio, 0x02 groups, 0x04|0x08 polls and files, 0x10 calls). Inferred from Android's fixture
// featureMask 15 ⇒ featureLevel 3 (spec §11.1 item 3); newer clients read only featureMask.
const FEATURE_LEVEL_MASKS = [0x01n, 0x03n, 0x0fn, 0x1fn];

export function featureLevelFromMask(featureMask: bigint): number {
  let level = 0;
  for (const required of FEATURE_LEVEL_MASKS) {
    if ((featureMask & required) !== required) break;
    level += 1;
  }
  return level;
}
