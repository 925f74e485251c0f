import { Injectable } from '@nestjs/common';
import { IdentityStateCode, IdentityTypeCode, type NewIdentity } from '@ots/directory-db';

import type { IdentityCreator } from '../domain/create-identity/create-identity.usecase';
import type { FeatureMaskWriter } from '../domain/set-feature-mask/set-feature-mask.usecase';
import { DirectoryDatabase } from './directory-database';

/** Writes to the `identity` table that the public directory API needs. */
@Injectable()
export class PrismaIdentityWriter implements IdentityCreator, FeatureMaskWriter {
  constructor(private readonly database: DirectoryDatabase) {}

  async insertIfAbsent(identity: NewIdentity): Promise<boolean> {
    // ON CONFLICT DO NOTHING: a taken ID reports 0 rows instead of raising, so the caller can draw again
    const { count } = await this.database.client.identity.createMany({
      data: [
        {
          id: identity.id,
          publicKey: Buffer.from(identity.publicKey),
          serverGroup: identity.serverGroup,
          type: identity.type ?? IdentityTypeCode.Regular,
          featureMask: identity.featureMask ?? 0n,
        },
      ],
      skipDuplicates: true,
    });
    return count === 1;
  }

  async setFeatureMask(id: string, featureMask: bigint): Promise<boolean> {
    const { count } = await this.database.client.identity.updateMany({
      where: { id, state: { not: IdentityStateCode.Revoked } },
      data: { featureMask },
    });
    return count === 1;
  }
}
