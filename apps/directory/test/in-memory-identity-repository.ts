import {
  type IdentityRecord,
  IdentityStateCode,
  IdentityTypeCode,
  type NewIdentity,
} from '@ots/directory-db';

import type { IdentityCreator } from '../src/domain/create-identity/create-identity.usecase';
import type { IdentityLookup } from '../src/domain/get-identities/get-identities.usecase';
import type { FeatureMaskWriter } from '../src/domain/set-feature-mask/set-feature-mask.usecase';

/** The identity repository interfaces of the use cases, backed by a Map: for unit tests. */
export class InMemoryIdentityRepository implements IdentityLookup, IdentityCreator, FeatureMaskWriter {
  readonly records = new Map<string, IdentityRecord>();
  readonly lookups: string[][] = [];

  findByIds(ids: readonly string[]): Promise<IdentityRecord[]> {
    this.lookups.push([...ids]);
    return Promise.resolve(ids.flatMap((id) => this.records.get(id) ?? []));
  }

  insertIfAbsent(identity: NewIdentity): Promise<boolean> {
    if (this.records.has(identity.id)) return Promise.resolve(false);
    this.add({
      id: identity.id,
      publicKey: identity.publicKey,
      serverGroup: identity.serverGroup,
      type: identity.type ?? IdentityTypeCode.Regular,
      featureMask: identity.featureMask ?? 0n,
    });
    return Promise.resolve(true);
  }

  setFeatureMask(id: string, featureMask: bigint): Promise<boolean> {
    const record = this.records.get(id);
    if (record === undefined) return Promise.resolve(false);
    this.records.set(id, { ...record, featureMask });
    return Promise.resolve(true);
  }

  add(fields: Partial<IdentityRecord> & { readonly id: string }): IdentityRecord {
    const record: IdentityRecord = {
      publicKey: new Uint8Array(32).fill(7),
      state: IdentityStateCode.Active,
      type: IdentityTypeCode.Regular,
      featureMask: 0n,
      serverGroup: '00',
      createdAt: new Date(0),
      lastLoginAt: null,
      ...fields,
    };
    this.records.set(record.id, record);
    return record;
  }
}
