import { Injectable } from '@nestjs/common';
import { IdentityStateCode, IdentityTypeCode, type NewIdentity } from '@ots/directory-db';

import type { IdentityCreator } from '../domain/create-identity/create-identity.usecase';
import type { LoginRecorder } from '../domain/record-logins/record-logins.usecase';
import type { FeatureMaskWriter } from '../domain/set-feature-mask/set-feature-mask.usecase';
import { DirectoryDatabase } from './directory-database';

/** Writes to the `identity` table that the public directory API needs (Prisma, except the hot insert). */
@Injectable()
export class PrismaIdentityWriter implements IdentityCreator, FeatureMaskWriter, LoginRecorder {
  constructor(private readonly database: DirectoryDatabase) {}

  async insertIfAbsent(identity: NewIdentity): Promise<boolean> {
    // ON CONFLICT DO NOTHING: a taken ID reports 0 rows instead of raising, so the caller can draw again. A named
    // statement on node-postgres: identity/create is a hot path (npm run bench:directory), Prisma's createMany
    // cost several times the CPU.
    const result = await this.database.pool.query({
      name: 'directory-identity-insert',
      text: `INSERT INTO identity (id, public_key, server_group, type, feature_mask)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
      values: [
        identity.id,
        Buffer.from(identity.publicKey),
        identity.serverGroup,
        identity.type ?? IdentityTypeCode.Regular,
        (identity.featureMask ?? 0n).toString(),
      ],
    });
    return result.rowCount === 1;
  }

  async setFeatureMask(id: string, featureMask: bigint): Promise<boolean> {
    const { count } = await this.database.client.identity.updateMany({
      where: { id, state: { not: IdentityStateCode.Revoked } },
      data: { featureMask },
    });
    return count === 1;
  }

  async recordLastLogins(latest: ReadonlyMap<string, Date>): Promise<number> {
    const ids = [...latest.keys()];
    const times = [...latest.values()].map((at) => at.toISOString());
    // one statement per batch; the comparison keeps a later login already stored (never moves back)
    return this.database.client.$executeRaw`
      UPDATE identity AS i SET last_login_at = v.at
      FROM unnest(${ids}::char(8)[], ${times}::timestamptz[]) AS v(id, at)
      WHERE i.id = v.id AND i.state <> ${IdentityStateCode.Revoked}
        AND (i.last_login_at IS NULL OR i.last_login_at < v.at)`;
  }
}
