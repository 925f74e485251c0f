import type { DirectoryPrismaClient } from './directory-prisma';

export enum IdentityStateCode {
  Active = 0,
  Inactive = 1,
  Revoked = 2,
}

export enum IdentityTypeCode {
  Regular = 0,
  Work = 1,
}

export interface IdentityRecord {
  readonly id: string;
  readonly publicKey: Uint8Array;
  readonly state: IdentityStateCode;
  readonly type: IdentityTypeCode;
  readonly featureMask: bigint;
  readonly serverGroup: string;
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
}

export interface NewIdentity {
  readonly id: string;
  readonly publicKey: Uint8Array;
  readonly serverGroup: string;
  readonly type?: IdentityTypeCode;
  readonly featureMask?: bigint;
}

/** The columns an IdentityRecord is read from (a Prisma `select`): never the hashes or revocation data. */
export const IDENTITY_RECORD_COLUMNS = {
  id: true,
  publicKey: true,
  state: true,
  type: true,
  featureMask: true,
  serverGroup: true,
  createdAt: true,
  lastLoginAt: true,
} as const;

export interface IdentityRow {
  readonly id: string;
  readonly publicKey: Uint8Array;
  readonly state: number;
  readonly type: number;
  readonly featureMask: bigint;
  readonly serverGroup: string;
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
}

/** Maps a row of IDENTITY_RECORD_COLUMNS; throws on a state or type the code does not know. */
export function toIdentityRecord(row: IdentityRow): IdentityRecord {
  return {
    id: row.id,
    publicKey: new Uint8Array(row.publicKey),
    state: toStateCode(row.state),
    type: toTypeCode(row.type),
    featureMask: row.featureMask,
    serverGroup: row.serverGroup,
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt,
  };
}

/** Owns the `identity` table. Use cases depend on narrow interfaces this class satisfies. */
export class PrismaIdentityRepository {
  constructor(private readonly prisma: DirectoryPrismaClient) {}

  async findByIds(ids: readonly string[]): Promise<IdentityRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.prisma.identity.findMany({
      where: { id: { in: [...ids] } },
      select: IDENTITY_RECORD_COLUMNS,
    });
    return rows.map(toIdentityRecord);
  }

  async insert(identity: NewIdentity): Promise<void> {
    await this.prisma.identity.create({
      data: {
        id: identity.id,
        publicKey: Buffer.from(identity.publicKey),
        serverGroup: identity.serverGroup,
        type: identity.type ?? IdentityTypeCode.Regular,
        featureMask: identity.featureMask ?? 0n,
      },
    });
  }

  /** Readiness probe: a round trip to the database. */
  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }
}

export function toStateCode(value: number): IdentityStateCode {
  switch (value) {
    case 0:
      return IdentityStateCode.Active;
    case 1:
      return IdentityStateCode.Inactive;
    case 2:
      return IdentityStateCode.Revoked;
    default:
      throw new Error(`identity.state holds an unknown value ${String(value)}`);
  }
}

export function toTypeCode(value: number): IdentityTypeCode {
  switch (value) {
    case 0:
      return IdentityTypeCode.Regular;
    case 1:
      return IdentityTypeCode.Work;
    default:
      throw new Error(`identity.type holds an unknown value ${String(value)}`);
  }
}
