// What the data export gathers per identity, as the three owning services report it (directory.v1 GetInventory,
// push.v1 ListTokens, mailbox.v1 GetInventory), in domain terms. Times are Unix milliseconds; 0 = none.

export type IdentityStateName = 'active' | 'inactive' | 'revoked';
export type IdentityTypeName = 'regular' | 'work';
export type LinkKindName = 'email' | 'mobileNo';

export interface DirectoryInventory {
  readonly identity: string;
  readonly publicKey: Uint8Array;
  readonly state: IdentityStateName;
  readonly type: IdentityTypeName;
  readonly featureMask: bigint;
  readonly serverGroup: string;
  readonly issueDateMs: number;
  readonly lastLoginMs: number;
  /** empty = not linked */
  readonly mobileNoHash: Uint8Array;
  readonly emailHash: Uint8Array;
  readonly revocationKeySet: boolean;
  readonly revocationKeyLastChangedMs: number;
  readonly pendingLinks: readonly { kind: LinkKindName; hash: Uint8Array; expiresAtMs: number }[];
}

export interface StoredPushToken {
  /** the `type` byte of spec §7.1 */
  readonly tokenType: number;
  readonly data: Uint8Array;
  readonly setAtMs: number;
}

export interface DevicePushTokens {
  /** csp-device-id (u64); 0 when the client sent none */
  readonly deviceId: bigint;
  readonly pushToken?: StoredPushToken;
  readonly voipToken?: StoredPushToken;
}

export interface MailboxInventory {
  readonly queuedMessages: number;
  readonly oldestQueuedAtMs: number;
  /** empty = none stored */
  readonly deviceCookie: Uint8Array;
  readonly deviceCookieChangePending: boolean;
}

/** The directory's inventory; undefined for an unknown identity. */
export interface DirectoryInventorySource {
  inventoryOf(identity: string): Promise<DirectoryInventory | undefined>;
}

export interface PushTokenSource {
  tokensOf(identity: string): Promise<readonly DevicePushTokens[]>;
}

export interface MailboxInventorySource {
  inventoryOf(identity: string): Promise<MailboxInventory>;
}
