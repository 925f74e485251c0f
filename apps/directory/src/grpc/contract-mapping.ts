import { directoryV1 } from '@ots/contracts';
import { IdentityStateCode, IdentityTypeCode } from '@ots/directory-db';

import type { IdentityInventory } from '../domain/get-inventory/get-inventory.usecase';
import type { IdentitySummary } from '../domain/identity-summary';
import { HashKind, type LinkedHashEntry } from '../domain/linked-hash';

// Domain records as directory.v1 messages (proto/ots/directory/v1). Used by the gRPC server and the NATS events.

const STATE: Record<IdentityStateCode, directoryV1.IdentityState> = {
  [IdentityStateCode.Active]: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
  [IdentityStateCode.Inactive]: directoryV1.IdentityState.IDENTITY_STATE_INACTIVE,
  [IdentityStateCode.Revoked]: directoryV1.IdentityState.IDENTITY_STATE_REVOKED,
};

const TYPE: Record<IdentityTypeCode, directoryV1.IdentityType> = {
  [IdentityTypeCode.Regular]: directoryV1.IdentityType.IDENTITY_TYPE_REGULAR,
  [IdentityTypeCode.Work]: directoryV1.IdentityType.IDENTITY_TYPE_WORK,
};

const bufferView = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function toContractIdentity(record: IdentitySummary): directoryV1.Identity {
  return {
    identity: record.id,
    // a view, not a copy: StreamIdentities encodes every identity
    publicKey: bufferView(record.publicKey),
    state: STATE[record.state],
    type: TYPE[record.type],
    featureMask: record.featureMask,
    serverGroup: record.serverGroup,
  };
}

const HASH_KIND: Record<HashKind, directoryV1.HashKind> = {
  [HashKind.Email]: directoryV1.HashKind.HASH_KIND_EMAIL,
  [HashKind.MobileNo]: directoryV1.HashKind.HASH_KIND_MOBILE_NO,
};

export function toContractHashKind(kind: HashKind): directoryV1.HashKind {
  return HASH_KIND[kind];
}

export function toContractLinkedHash(entry: LinkedHashEntry): directoryV1.LinkedHash {
  return {
    kind: HASH_KIND[entry.kind],
    // views, not copies: the snapshot encodes a million of these (docs/adr/0025)
    hash: bufferView(entry.hash),
    identity: entry.identity.id,
    publicKey: bufferView(entry.identity.publicKey),
    state: STATE[entry.identity.state],
  };
}

const msOrZero = (at: Date | null): bigint => (at === null ? 0n : BigInt(at.getTime()));
const bytesOrEmpty = (value: Uint8Array | null): Buffer =>
  value === null ? Buffer.alloc(0) : Buffer.from(value);

export function toContractInventory(inventory: IdentityInventory): directoryV1.GetInventoryResponse {
  const { identity } = inventory;
  return {
    identity: identity.id,
    publicKey: Buffer.from(identity.publicKey),
    state: STATE[identity.state],
    type: TYPE[identity.type],
    featureMask: identity.featureMask,
    serverGroup: identity.serverGroup,
    issueDateMs: BigInt(identity.createdAt.getTime()),
    lastLoginMs: msOrZero(identity.lastLoginAt),
    mobileNoHash: bytesOrEmpty(inventory.mobileNoHash),
    emailHash: bytesOrEmpty(inventory.emailHash),
    revocationKeySet: inventory.revocationKeyChangedAt !== null,
    revocationKeyLastChangedMs: msOrZero(inventory.revocationKeyChangedAt),
    pendingLinks: inventory.pendingLinks.map((link) => ({
      kind: HASH_KIND[link.kind],
      hash: Buffer.from(link.hash),
      expiresAtMs: BigInt(link.expiresAt.getTime()),
    })),
  };
}
