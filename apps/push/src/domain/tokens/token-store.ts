import type { GoneToken, NewPushToken, StoredPushToken, TokenSlotCode } from '@ots/push-db';

/** What the token use cases need from storage (PrismaPushTokenRepository satisfies it). */
export interface TokenStore {
  upsert(token: NewPushToken): Promise<void>;
  clearSlot(identity: string, deviceId: bigint, slot: TokenSlotCode): Promise<boolean>;
  deleteDevices(identity: string, deviceIds: readonly bigint[]): Promise<number>;
  deleteAllDevicesExcept(identity: string, keepDeviceId: bigint): Promise<number>;
  listByIdentity(identity: string): Promise<StoredPushToken[]>;
  findByOwnPushId(ownPushId: Uint8Array): Promise<StoredPushToken | undefined>;
  deleteGone(gone: GoneToken): Promise<boolean>;
}

export const TOKEN_STORE = Symbol('TOKEN_STORE');
