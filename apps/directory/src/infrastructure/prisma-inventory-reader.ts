import { Injectable } from '@nestjs/common';
import { IDENTITY_RECORD_COLUMNS, toIdentityRecord } from '@ots/directory-db';

import type { IdentityInventory, InventoryReader } from '../domain/get-inventory/get-inventory.usecase';
import { HashKind } from '../domain/linked-hash';
import { DirectoryDatabase } from './directory-database';

/** Reads of everything stored per identity (the export); the linked-hash snapshot is PgLinkedHashReader's. */
@Injectable()
export class PrismaInventoryReader implements InventoryReader {
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
}

function bytesOrNull(value: Uint8Array | null): Uint8Array | null {
  return value === null ? null : new Uint8Array(value);
}

export function toHashKind(value: number): HashKind {
  if (value === 1) return HashKind.Email;
  if (value === 2) return HashKind.MobileNo;
  throw new Error(`pending_link.kind holds an unknown value ${String(value)}`);
}
