import type { DevicePushTokens, DirectoryInventory, MailboxInventory, StoredPushToken } from './inventory';

// The JSON the bot sends in reply to `info` (spec §8.1 key names; docs/data-export.md). Timestamps are ISO-8601 UTC
// strings, binary values standard base64, absent values null.

export interface ExportedToken {
  readonly data: string;
  readonly timestamp: string;
  /** the `type` byte of spec §7.1 */
  readonly type: number;
}

export interface ExportDocument {
  readonly identity: string;
  readonly publicKey: string;
  readonly issueDate: string;
  readonly lastLogin: string | null;
  readonly mobileNoHash: string | null;
  readonly emailHash: string | null;
  readonly featureMask: number | string;
  readonly state: string;
  readonly type: string;
  readonly serverGroup: string;
  readonly pushtokens: readonly {
    readonly device_id: string;
    readonly push_token: ExportedToken | null;
    readonly voip_token: ExportedToken | null;
  }[];
  readonly pushsound: null;
  readonly pushgroupsound: null;
  readonly revocationKey: { readonly set: boolean; readonly lastChanged: string | null };
  readonly pendingLinks: readonly {
    readonly kind: string;
    readonly hash: string;
    readonly expires: string;
  }[];
  readonly mailbox: {
    readonly queuedMessages: number;
    readonly oldestQueuedAt: string | null;
    readonly deviceCookie: string | null;
    readonly deviceCookieChangePending: boolean;
  };
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const optionalBase64 = (bytes: Uint8Array): string | null => (bytes.length === 0 ? null : base64(bytes));
const iso = (ms: number): string => new Date(ms).toISOString();
const optionalIso = (ms: number): string | null => (ms === 0 ? null : iso(ms));

/** spec §8.1: `device_id` is base64 of the u64, here its 8 bytes big-endian (network order, as in the CSP). */
export function deviceIdBase64(deviceId: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt.asUintN(64, deviceId));
  return bytes.toString('base64');
}

function token(stored: StoredPushToken | undefined): ExportedToken | null {
  if (stored === undefined) return null;
  return { data: base64(stored.data), timestamp: iso(stored.setAtMs), type: stored.tokenType };
}

export function buildExportDocument(
  directory: DirectoryInventory,
  devices: readonly DevicePushTokens[],
  mailbox: MailboxInventory,
): ExportDocument {
  return {
    identity: directory.identity,
    publicKey: base64(directory.publicKey),
    issueDate: iso(directory.issueDateMs),
    lastLogin: optionalIso(directory.lastLoginMs),
    mobileNoHash: optionalBase64(directory.mobileNoHash),
    emailHash: optionalBase64(directory.emailHash),
    // a JSON number as the directory API sends it; a mask beyond 2^53 (none is defined) as a decimal string
    featureMask:
      directory.featureMask <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(directory.featureMask)
        : directory.featureMask.toString(),
    state: directory.state,
    type: directory.type,
    serverGroup: directory.serverGroup,
    pushtokens: [...devices]
      .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0))
      .map((device) => ({
        device_id: deviceIdBase64(device.deviceId),
        push_token: token(device.pushToken),
        voip_token: token(device.voipToken),
      })),
    // spec §8.1 keys for notification sounds: this server stores none (clients keep them), so always null
    pushsound: null,
    pushgroupsound: null,
    revocationKey: {
      set: directory.revocationKeySet,
      lastChanged: directory.revocationKeySet ? optionalIso(directory.revocationKeyLastChangedMs) : null,
    },
    pendingLinks: directory.pendingLinks.map((link) => ({
      kind: link.kind,
      hash: base64(link.hash),
      expires: iso(link.expiresAtMs),
    })),
    mailbox: {
      queuedMessages: mailbox.queuedMessages,
      oldestQueuedAt: optionalIso(mailbox.oldestQueuedAtMs),
      deviceCookie: optionalBase64(mailbox.deviceCookie),
      deviceCookieChangePending: mailbox.deviceCookieChangePending,
    },
  };
}
