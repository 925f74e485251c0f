import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { directoryV1, mailboxV1, pushV1 } from '@ots/contracts';

import type {
  DevicePushTokens,
  DirectoryInventory,
  DirectoryInventorySource,
  IdentityStateName,
  IdentityTypeName,
  LinkKindName,
  MailboxInventory,
  MailboxInventorySource,
  PushTokenSource,
  StoredPushToken,
} from '../domain/inventory';

const CALL_TIMEOUT_MS = 5_000;

function unary<T>(
  call: (deadline: Date, callback: (error: ServiceError | null, value: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    call(new Date(Date.now() + CALL_TIMEOUT_MS), (error, value) => {
      if (error) reject(error);
      else resolve(value);
    });
  });
}

const STATES: Partial<Record<directoryV1.IdentityState, IdentityStateName>> = {
  [directoryV1.IdentityState.IDENTITY_STATE_ACTIVE]: 'active',
  [directoryV1.IdentityState.IDENTITY_STATE_INACTIVE]: 'inactive',
  [directoryV1.IdentityState.IDENTITY_STATE_REVOKED]: 'revoked',
};
const KINDS: Partial<Record<directoryV1.HashKind, LinkKindName>> = {
  [directoryV1.HashKind.HASH_KIND_EMAIL]: 'email',
  [directoryV1.HashKind.HASH_KIND_MOBILE_NO]: 'mobileNo',
};

/** directory.v1 GetInventory. */
export class GrpcDirectoryInventorySource implements DirectoryInventorySource {
  constructor(private readonly client: directoryV1.DirectoryServiceClient) {}

  async inventoryOf(identity: string): Promise<DirectoryInventory | undefined> {
    let response: directoryV1.GetInventoryResponse;
    try {
      response = await unary((deadline, callback) =>
        this.client.getInventory({ identity }, new Metadata(), { deadline }, callback),
      );
    } catch (error) {
      if ((error as ServiceError).code === status.NOT_FOUND) return undefined;
      throw error;
    }
    const type: IdentityTypeName =
      response.type === directoryV1.IdentityType.IDENTITY_TYPE_WORK ? 'work' : 'regular';
    return {
      identity: response.identity,
      publicKey: response.publicKey,
      // an unknown future state is treated as revoked: nothing is exported rather than something wrong
      state: STATES[response.state] ?? 'revoked',
      type,
      featureMask: response.featureMask,
      serverGroup: response.serverGroup,
      issueDateMs: Number(response.issueDateMs),
      lastLoginMs: Number(response.lastLoginMs),
      mobileNoHash: response.mobileNoHash,
      emailHash: response.emailHash,
      revocationKeySet: response.revocationKeySet,
      revocationKeyLastChangedMs: Number(response.revocationKeyLastChangedMs),
      pendingLinks: response.pendingLinks.flatMap((link) => {
        const kind = KINDS[link.kind];
        return kind === undefined ? [] : [{ kind, hash: link.hash, expiresAtMs: Number(link.expiresAtMs) }];
      }),
    };
  }
}

function storedToken(token: pushV1.StoredToken | undefined): StoredPushToken | undefined {
  if (token === undefined) return undefined;
  return { tokenType: token.tokenType, data: token.data, setAtMs: Number(token.setAtMs) };
}

/** push.v1 ListTokens. */
export class GrpcPushTokenSource implements PushTokenSource {
  constructor(private readonly client: pushV1.PushServiceClient) {}

  async tokensOf(identity: string): Promise<readonly DevicePushTokens[]> {
    const response = await unary<pushV1.ListTokensResponse>((deadline, callback) =>
      this.client.listTokens({ identity }, new Metadata(), { deadline }, callback),
    );
    return response.devices.map((device) => {
      const pushToken = storedToken(device.pushToken);
      const voipToken = storedToken(device.voipToken);
      return {
        deviceId: device.deviceId,
        ...(pushToken === undefined ? {} : { pushToken }),
        ...(voipToken === undefined ? {} : { voipToken }),
      };
    });
  }
}

/** mailbox.v1 GetInventory. */
export class GrpcMailboxInventorySource implements MailboxInventorySource {
  constructor(private readonly client: mailboxV1.MailboxServiceClient) {}

  async inventoryOf(identity: string): Promise<MailboxInventory> {
    const response = await unary<mailboxV1.GetInventoryResponse>((deadline, callback) =>
      this.client.getInventory({ identity }, new Metadata(), { deadline }, callback),
    );
    return {
      queuedMessages: response.queuedMessages,
      oldestQueuedAtMs: Number(response.oldestQueuedAtMs),
      deviceCookie: response.deviceCookie,
      deviceCookieChangePending: response.deviceCookieChangePending,
    };
  }
}
