import type { IdentityRecord } from '@ots/directory-db';

/**
 * An identity as other services keep it (directory.v1 Identity): the StreamIdentities snapshot and the
 * IdentityCreated event carry this, without the record's dates.
 */
export type IdentitySummary = Pick<
  IdentityRecord,
  'id' | 'publicKey' | 'state' | 'type' | 'featureMask' | 'serverGroup'
>;
