import type { CheckedState, IdentityStatus } from '../domain/check-identities/check-identities.usecase';
import { featureLevelFromMask, type PublicIdentity } from '../domain/public-identity';
import type { ChallengeIssued } from '../domain/signed-request';

// JSON shapes of spec §4.3. Type rules: featureMask, state and type are JSON numbers, publicKey standard base64.

export interface IdentityJson {
  readonly identity: string;
  readonly publicKey: string;
  readonly featureLevel: number;
  readonly featureMask: number;
  readonly state: number;
  readonly type: number;
}

export function toIdentityJson(identity: PublicIdentity): IdentityJson {
  return {
    identity: identity.id,
    publicKey: base64(identity.publicKey),
    featureLevel: featureLevelFromMask(identity.featureMask),
    featureMask: Number(identity.featureMask),
    state: identity.state,
    type: identity.type,
  };
}

export function toChallengeJson(challenge: ChallengeIssued): { token: string; tokenRespKeyPub: string } {
  return { token: base64(challenge.token), tokenRespKeyPub: base64(challenge.tokenRespKeyPub) };
}

export function toCheckJson(
  statuses: readonly IdentityStatus[],
  checkInterval: number,
): { states: CheckedState[]; types: number[]; featureMasks: (number | null)[]; checkInterval: number } {
  return {
    states: statuses.map((status) => status.state),
    types: statuses.map((status) => status.type),
    featureMasks: toFeatureMasks(statuses),
    checkInterval,
  };
}

export function toFeatureMasks(statuses: readonly IdentityStatus[]): (number | null)[] {
  return statuses.map((status) => (status.featureMask === null ? null : Number(status.featureMask)));
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** spec §4.3 check_revocation_key: `lastChanged` as ISO 8601 UTC without fractions, e.g. 2014-10-29T12:32:54Z. */
export function toRevocationKeyJson(
  lastChanged: Date | undefined,
): { revocationKeySet: false } | { revocationKeySet: true; lastChanged: string } {
  if (lastChanged === undefined) return { revocationKeySet: false };
  return { revocationKeySet: true, lastChanged: lastChanged.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}
