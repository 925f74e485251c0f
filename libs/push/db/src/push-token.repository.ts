import type { PushPrismaClient } from './push-prisma';

/** Which CSP payload set the token (spec §1.6): 0x20 regular, 0x24 VoIP ("immediate delivery"). */
export enum TokenSlotCode {
  Regular = 1,
  Voip = 2,
}

export interface StoredPushToken {
  readonly identity: string;
  /** csp-device-id, u64 */
  readonly deviceId: bigint;
  readonly slot: TokenSlotCode;
  /** the `type` byte of spec §7.1 */
  readonly tokenType: number;
  /** token bytes exactly as received */
  readonly token: Uint8Array;
  readonly ownPushId: Uint8Array | null;
  readonly setAt: Date;
}

export interface NewPushToken {
  readonly identity: string;
  readonly deviceId: bigint;
  readonly slot: TokenSlotCode;
  readonly tokenType: number;
  readonly token: Uint8Array;
  readonly ownPushId?: Uint8Array | null;
  readonly setAt: Date;
}

/** The slot of one device whose token a provider reported gone; deleted only if nothing replaced it since. */
export interface GoneToken {
  readonly identity: string;
  readonly deviceId: bigint;
  readonly slot: TokenSlotCode;
  readonly token: Uint8Array;
  /** APNs 410: delete only if the token was set before this instant (the device may have re-registered) */
  readonly setBefore?: Date;
}

// csp-device-ids are u64; PostgreSQL's BIGINT is signed, so store the same 64 bits as two's complement.
const toColumn = (deviceId: bigint): bigint => BigInt.asIntN(64, deviceId);
const fromColumn = (value: bigint): bigint => BigInt.asUintN(64, value);

/** Owns the `push_token` table. Use cases depend on narrow interfaces this class satisfies. */
export class PrismaPushTokenRepository {
  constructor(private readonly prisma: PushPrismaClient) {}

  async upsert(token: NewPushToken): Promise<void> {
    const key = { identity: token.identity, deviceId: toColumn(token.deviceId), slot: token.slot };
    const data = {
      tokenType: token.tokenType,
      token: Buffer.from(token.token),
      ownPushId: token.ownPushId ? Buffer.from(token.ownPushId) : null,
      setAt: token.setAt,
    };
    await this.prisma.pushToken.upsert({
      where: { identity_deviceId_slot: key },
      create: { ...key, ...data },
      update: data,
    });
  }

  /** Empties one slot (CSP type 0x00). Returns whether a token was stored. */
  async clearSlot(identity: string, deviceId: bigint, slot: TokenSlotCode): Promise<boolean> {
    const result = await this.prisma.pushToken.deleteMany({
      where: { identity, deviceId: toColumn(deviceId), slot },
    });
    return result.count > 0;
  }

  /** CSP 0x25 with a list: both slots of each listed device. Returns the number of tokens deleted. */
  async deleteDevices(identity: string, deviceIds: readonly bigint[]): Promise<number> {
    if (deviceIds.length === 0) return 0;
    const result = await this.prisma.pushToken.deleteMany({
      where: { identity, deviceId: { in: deviceIds.map(toColumn) } },
    });
    return result.count;
  }

  /** The identity was revoked: nothing of it stays (the *MY3DATA inventory of a revoked identity is empty). */
  async deleteAllForIdentity(identity: string): Promise<number> {
    const result = await this.prisma.pushToken.deleteMany({ where: { identity } });
    return result.count;
  }

  /** CSP 0x25 with an empty list: every device of the identity except the requesting one. */
  async deleteAllDevicesExcept(identity: string, keepDeviceId: bigint): Promise<number> {
    const result = await this.prisma.pushToken.deleteMany({
      where: { identity, NOT: { deviceId: toColumn(keepDeviceId) } },
    });
    return result.count;
  }

  async listByIdentity(identity: string): Promise<StoredPushToken[]> {
    const rows = await this.prisma.pushToken.findMany({ where: { identity } });
    // ordered by the unsigned device ID (the column's signed order puts IDs >= 2^63 first)
    return rows
      .map(toRecord)
      .sort((a, b) => (a.deviceId === b.deviceId ? a.slot - b.slot : a.deviceId < b.deviceId ? -1 : 1));
  }

  /** The tokens of many identities in one query (the wake-up path batches its look-ups). */
  async listByIdentities(identities: readonly string[]): Promise<Map<string, StoredPushToken[]>> {
    const byIdentity = new Map<string, StoredPushToken[]>(identities.map((identity) => [identity, []]));
    if (identities.length === 0) return byIdentity;
    const rows = await this.prisma.pushToken.findMany({
      where: { identity: { in: [...new Set(identities)] } },
    });
    for (const record of rows.map(toRecord)) byIdentity.get(record.identity)?.push(record);
    return byIdentity;
  }

  async findByOwnPushId(ownPushId: Uint8Array): Promise<StoredPushToken | undefined> {
    const row = await this.prisma.pushToken.findFirst({
      where: { ownPushId: Buffer.from(ownPushId) },
      orderBy: { setAt: 'desc' },
    });
    return row ? toRecord(row) : undefined;
  }

  /** Deletes a token a provider called gone, unless the device has set another one (or re-set it later). */
  async deleteGone(gone: GoneToken): Promise<boolean> {
    const result = await this.prisma.pushToken.deleteMany({
      where: {
        identity: gone.identity,
        deviceId: toColumn(gone.deviceId),
        slot: gone.slot,
        token: Buffer.from(gone.token),
        ...(gone.setBefore ? { setAt: { lt: gone.setBefore } } : {}),
      },
    });
    return result.count > 0;
  }

  /** Readiness probe: a round trip to the database. */
  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }
}

function toRecord(row: {
  identity: string;
  deviceId: bigint;
  slot: number;
  tokenType: number;
  token: Uint8Array;
  ownPushId: Uint8Array | null;
  setAt: Date;
}): StoredPushToken {
  return {
    identity: row.identity,
    deviceId: fromColumn(row.deviceId),
    slot: toSlotCode(row.slot),
    tokenType: row.tokenType,
    token: new Uint8Array(row.token),
    ownPushId: row.ownPushId ? new Uint8Array(row.ownPushId) : null,
    setAt: row.setAt,
  };
}

function toSlotCode(value: number): TokenSlotCode {
  switch (value) {
    case 1:
      return TokenSlotCode.Regular;
    case 2:
      return TokenSlotCode.Voip;
    default:
      throw new Error(`push_token.slot holds an unknown value ${String(value)}`);
  }
}
