/** A directory entry (spec §4.3 `GET identity/<ID>` and fetch_bulk). */
export interface DirectoryIdentity {
  readonly identity: string;
  readonly publicKey: Uint8Array;
  readonly featureMask: number;
  /** 0 active, 1 inactive (OnPrem omits it: active). */
  readonly state: number;
  /** 0 regular, 1 work. */
  readonly type: number;
}

/** spec §4.3 identity/check: one entry per requested identity, in request order. */
export interface IdentityCheck {
  readonly identity: string;
  /** 0 active, 1 inactive, 2 invalid (unknown or revoked). */
  readonly state: number;
  readonly type: number;
  readonly featureMask: number | null;
}

export interface IdentityCheckResult {
  readonly identities: readonly IdentityCheck[];
  /** Seconds until the client should check again. */
  readonly checkInterval: number;
}

/** What proves control of an identity in signed calls (spec §4.2). The secret key never leaves the process. */
export interface IdentityCredentials {
  readonly identity: string;
  readonly secretKey: Uint8Array;
}

export interface CreatedIdentity extends IdentityCredentials {
  readonly publicKey: Uint8Array;
  /** Two lowercase hex digits in our deployment (spec §1.1). */
  readonly serverGroup: string;
}

export interface PrivateIdentityData {
  readonly identity: string;
  readonly serverGroup: string;
  readonly email?: string;
  readonly mobileNo?: string;
}

export interface RevocationKeyStatus {
  readonly revocationKeySet: boolean;
  /** ISO-8601, when set. */
  readonly lastChanged?: string;
}

export interface MatchRequest {
  readonly matchToken?: string;
  /** HMAC-SHA256 of the e-mail addresses / phone numbers (spec §4.4), raw bytes; sent as base64. */
  readonly emailHashes: readonly Uint8Array[];
  readonly mobileNoHashes: readonly Uint8Array[];
  readonly includeInactive?: boolean;
}

export interface MatchedIdentity {
  readonly identity: string;
  readonly publicKey: Uint8Array;
  readonly emailHash?: Uint8Array;
  readonly mobileNoHash?: Uint8Array;
}

export interface MatchResult {
  readonly identities: readonly MatchedIdentity[];
  readonly checkInterval: number;
}
