import { Injectable } from '@nestjs/common';
import { IdentityStateCode } from '@ots/directory-db';

import type { RevocationStore } from '../domain/revocation/revocation.usecases';
import { DirectoryDatabase } from './directory-database';

const NOT_REVOKED = { not: IdentityStateCode.Revoked };

/** Revocation keys and revocation itself, on the `identity` and `pending_link` tables. */
@Injectable()
export class PrismaRevocationStore implements RevocationStore {
  constructor(private readonly database: DirectoryDatabase) {}

  async setRevocationKey(identity: string, keyHash: Uint8Array, changedAt: Date): Promise<boolean> {
    const { count } = await this.database.client.identity.updateMany({
      where: { id: identity, state: NOT_REVOKED },
      data: { revocationKeyHash: Buffer.from(keyHash), revocationKeyChangedAt: changedAt },
    });
    return count === 1;
  }

  async findRevocationKey(identity: string): Promise<{ keyHash: Uint8Array; changedAt: Date } | undefined> {
    const row = await this.database.client.identity.findFirst({
      where: { id: identity, state: NOT_REVOKED },
      select: { revocationKeyHash: true, revocationKeyChangedAt: true },
    });
    if (row?.revocationKeyHash == null || row.revocationKeyChangedAt === null) return undefined;
    return { keyHash: new Uint8Array(row.revocationKeyHash), changedAt: row.revocationKeyChangedAt };
  }

  async revoke(identity: string): Promise<boolean> {
    const [, revoked] = await this.database.client.$transaction([
      this.database.client.pendingLink.deleteMany({ where: { identityId: identity } }),
      // the row stays (IDs are never reused); what served only the living identity goes
      this.database.client.identity.updateMany({
        where: { id: identity, state: NOT_REVOKED },
        data: {
          state: IdentityStateCode.Revoked,
          emailHash: null,
          mobileNoHash: null,
          revocationKeyHash: null,
          revocationKeyChangedAt: null,
        },
      }),
    ]);
    return revoked.count === 1;
  }
}
