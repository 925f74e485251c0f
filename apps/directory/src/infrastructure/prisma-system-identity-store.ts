import { Injectable } from '@nestjs/common';
import { IdentityStateCode, IdentityTypeCode } from '@ots/directory-db';

import type { SystemIdentity, SystemIdentityStore } from '../domain/system-identities/system-identities';
import { DirectoryDatabase } from './directory-database';

/** System identities (`*` IDs) on the `identity` table. */
@Injectable()
export class PrismaSystemIdentityStore implements SystemIdentityStore {
  constructor(private readonly database: DirectoryDatabase) {}

  async upsertSystemIdentity(identity: SystemIdentity, serverGroup: string): Promise<boolean> {
    const publicKey = Buffer.from(identity.publicKey);
    // one statement: concurrent directory instances starting together converge on the configured key
    const changed = await this.database.client.$executeRaw`
      INSERT INTO identity (id, public_key, server_group, type, state, feature_mask)
      VALUES (${identity.id}, ${publicKey}, ${serverGroup}, ${IdentityTypeCode.Regular},
              ${IdentityStateCode.Active}, 0)
      ON CONFLICT (id) DO UPDATE SET public_key = EXCLUDED.public_key, state = EXCLUDED.state
      WHERE identity.public_key <> EXCLUDED.public_key OR identity.state <> EXCLUDED.state`;
    return changed > 0;
  }
}
