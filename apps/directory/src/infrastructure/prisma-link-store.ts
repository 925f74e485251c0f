import { Injectable } from '@nestjs/common';
import {
  IDENTITY_RECORD_COLUMNS,
  type IdentityRecord,
  IdentityStateCode,
  toIdentityRecord,
} from '@ots/directory-db';

import type { LinkStore, PendingLinkRecord } from '../domain/link/link-ports';
import { HashKind } from '../domain/linked-hash';
import { DirectoryDatabase } from './directory-database';
import { toHashKind } from './prisma-inventory-reader';

const NOT_REVOKED = { not: IdentityStateCode.Revoked };

/** Verified links (`identity.email_hash`, `identity.mobile_no_hash`) and pending ones (`pending_link`). */
@Injectable()
export class PrismaLinkStore implements LinkStore {
  constructor(private readonly database: DirectoryDatabase) {}

  async linkedHash(identity: string, kind: HashKind): Promise<Uint8Array | null> {
    const row = await this.database.client.identity.findUnique({
      where: { id: identity },
      select: { emailHash: true, mobileNoHash: true },
    });
    const hash = kind === HashKind.Email ? row?.emailHash : row?.mobileNoHash;
    return hash == null ? null : new Uint8Array(hash);
  }

  async savePending(pending: Omit<PendingLinkRecord, 'attempts'>): Promise<void> {
    const client = this.database.client;
    await client.$transaction([
      client.pendingLink.deleteMany({ where: { identityId: pending.identity, kind: pending.kind } }),
      client.pendingLink.create({
        data: {
          id: pending.id,
          identityId: pending.identity,
          kind: pending.kind,
          hash: Buffer.from(pending.hash),
          secretHash: Buffer.from(pending.secretHash),
          expiresAt: pending.expiresAt,
        },
      }),
    ]);
  }

  async findPending(id: string): Promise<PendingLinkRecord | undefined> {
    const row = await this.database.client.pendingLink.findUnique({ where: { id } });
    if (row === null) return undefined;
    return {
      id: row.id,
      identity: row.identityId,
      kind: toHashKind(row.kind),
      hash: new Uint8Array(row.hash),
      secretHash: new Uint8Array(row.secretHash),
      expiresAt: row.expiresAt,
      attempts: row.attempts,
    };
  }

  async deletePending(id: string): Promise<void> {
    await this.database.client.pendingLink.deleteMany({ where: { id } });
  }

  async countFailedAttempt(id: string, maxAttempts: number): Promise<void> {
    const client = this.database.client;
    await client.$transaction([
      client.pendingLink.updateMany({ where: { id }, data: { attempts: { increment: 1 } } }),
      client.pendingLink.deleteMany({ where: { id, attempts: { gte: maxAttempts } } }),
    ]);
  }

  async completeLink(
    id: string,
  ): Promise<{ identity: IdentityRecord; replaced: Uint8Array | null } | undefined> {
    return this.database.client.$transaction(async (tx) => {
      const pending = await tx.pendingLink.findUnique({ where: { id } });
      if (pending === null) return undefined;
      await tx.pendingLink.delete({ where: { id } });
      const field = toHashKind(pending.kind) === HashKind.Email ? 'emailHash' : 'mobileNoHash';
      const before = await tx.identity.findFirst({
        where: { id: pending.identityId, state: NOT_REVOKED },
        select: { emailHash: true, mobileNoHash: true },
      });
      if (before === null) return undefined;
      const updated = await tx.identity.update({
        where: { id: pending.identityId },
        data: { [field]: pending.hash },
        select: IDENTITY_RECORD_COLUMNS,
      });
      const replaced = before[field];
      return {
        identity: toIdentityRecord(updated),
        replaced:
          replaced === null || Buffer.from(replaced).equals(pending.hash) ? null : new Uint8Array(replaced),
      };
    });
  }

  async unlink(identity: string, kind: HashKind): Promise<Uint8Array | null> {
    const field = kind === HashKind.Email ? 'emailHash' : 'mobileNoHash';
    return this.database.client.$transaction(async (tx) => {
      await tx.pendingLink.deleteMany({ where: { identityId: identity, kind } });
      const before = await tx.identity.findFirst({
        where: { id: identity, state: NOT_REVOKED },
        select: { emailHash: true, mobileNoHash: true },
      });
      const removed = before?.[field] ?? null;
      if (removed === null) return null;
      await tx.identity.update({ where: { id: identity }, data: { [field]: null } });
      return new Uint8Array(removed);
    });
  }
}
