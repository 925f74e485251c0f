import { Injectable } from '@nestjs/common';
import { type IdentityRecord, toIdentityRecord } from '@ots/directory-db';

import type { IdentityLookup } from '../domain/get-identities/get-identities.usecase';
import { DirectoryDatabase } from './directory-database';

/** A row of the identity table as node-postgres returns it (feature_mask as text: BIGINT). */
export interface IdentityRowText {
  id: string;
  public_key: Buffer;
  state: number;
  type: number;
  feature_mask: string;
  server_group: string;
  created_at: Date;
  last_login_at: Date | null;
}

// One named (server-side prepared) statement for every look-up: GET identity/<ID>, fetch_bulk, check, the
// signed calls and gRPC GetIdentities. bpchar[] matches the CHAR(8) key, so the primary-key index is used.
const BY_IDS = {
  name: 'directory-identity-by-ids',
  text: `SELECT id, public_key, state, type, feature_mask, server_group, created_at, last_login_at
         FROM identity WHERE id = ANY($1::bpchar[])`,
};

/**
 * The directory's hot read path on node-postgres directly. Measured with `npm run bench:directory`: a Prisma
 * findMany costs several times the CPU of this prepared statement, and look-ups are most of the traffic. Writes
 * stay with Prisma.
 */
@Injectable()
export class PgIdentityLookup implements IdentityLookup {
  constructor(private readonly database: DirectoryDatabase) {}

  async findByIds(ids: readonly string[]): Promise<IdentityRecord[]> {
    if (ids.length === 0) return [];
    const result = await this.database.pool.query<IdentityRowText>({ ...BY_IDS, values: [ids] });
    return result.rows.map((row) =>
      toIdentityRecord({
        id: row.id,
        publicKey: row.public_key,
        state: row.state,
        type: row.type,
        featureMask: BigInt(row.feature_mask),
        serverGroup: row.server_group,
        createdAt: row.created_at,
        lastLoginAt: row.last_login_at,
      }),
    );
  }
}
