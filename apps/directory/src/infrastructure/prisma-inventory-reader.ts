import { Injectable } from '@nestjs/common';
import { IDENTITY_RECORD_COLUMNS, IdentityStateCode, toIdentityRecord } from '@ots/directory-db';

import type { IdentityInventory, InventoryReader } from '../domain/get-inventory/get-inventory.usecase';
import { HashKind, type LinkedHashEntry } from '../domain/linked-hash';
import type {
  LinkedHashPage,
  LinkedHashReader,
} from '../domain/stream-linked-hashes/stream-linked-hashes.usecase';
import { DirectoryDatabase } from './directory-database';

/** Reads of everything stored per identity (the export) and of the linked-hash index (contact-sync). */
@Injectable()
export class PrismaInventoryReader implements InventoryReader, LinkedHashReader {
  constructor(private readonly database: DirectoryDatabase) {}

  async findInventory(id: string): Promise<IdentityInventory | undefined> {
    const row = await this.database.client.identity.findUnique({
      where: { id },
      select: {
        ...IDENTITY_RECORD_COLUMNS,
        emailHash: true,
        mobileNoHash: true,
        revocationKeyChangedAt: true,
        // every stored pending link, expired or not: the export shows what is stored
        pendingLinks: { select: { kind: true, hash: true, expiresAt: true }, orderBy: { kind: 'asc' } },
      },
    });
    if (row === null) return undefined;
    return {
      identity: toIdentityRecord(row),
      emailHash: bytesOrNull(row.emailHash),
      mobileNoHash: bytesOrNull(row.mobileNoHash),
      revocationKeyChangedAt: row.revocationKeyChangedAt,
      pendingLinks: row.pendingLinks.map((link) => ({
        kind: toHashKind(link.kind),
        hash: new Uint8Array(link.hash),
        expiresAt: link.expiresAt,
      })),
    };
  }

  async linkedHashesAfter(cursor: string | undefined, identityLimit: number): Promise<LinkedHashPage> {
    const rows = await this.database.client.identity.findMany({
      where: {
        ...(cursor === undefined ? {} : { id: { gt: cursor } }),
        state: { not: IdentityStateCode.Revoked },
        OR: [{ emailHash: { not: null } }, { mobileNoHash: { not: null } }],
      },
      orderBy: { id: 'asc' },
      take: identityLimit,
      select: { ...IDENTITY_RECORD_COLUMNS, emailHash: true, mobileNoHash: true },
    });
    const entries: LinkedHashEntry[] = [];
    for (const row of rows) {
      const identity = toIdentityRecord(row);
      if (row.emailHash !== null) {
        entries.push({ kind: HashKind.Email, hash: new Uint8Array(row.emailHash), identity });
      }
      if (row.mobileNoHash !== null) {
        entries.push({ kind: HashKind.MobileNo, hash: new Uint8Array(row.mobileNoHash), identity });
      }
    }
    const last = rows.at(-1);
    return { entries, nextCursor: rows.length === identityLimit && last ? last.id : undefined };
  }
}

function bytesOrNull(value: Uint8Array | null): Uint8Array | null {
  return value === null ? null : new Uint8Array(value);
}

export function toHashKind(value: number): HashKind {
  if (value === 1) return HashKind.Email;
  if (value === 2) return HashKind.MobileNo;
  throw new Error(`pending_link.kind holds an unknown value ${String(value)}`);
}
