import { Injectable } from '@nestjs/common';
import { toStateCode, toTypeCode } from '@ots/directory-db';

import type { IdentitySummary } from '../domain/identity-summary';
import type { KeysetPage } from '../domain/keyset-batches';
import type { IdentityReader } from '../domain/stream-identities/stream-identities.usecase';
import { DirectoryDatabase } from './directory-database';
import type { IdentityRowText } from './pg-identity-lookup';

type IdentitySummaryRow = Omit<IdentityRowText, 'created_at' | 'last_login_at'>;

// Keyset pages in identity order, revoked identities included; '' sorts before every ID, so every page is one
// primary-key range scan with the same statement.
const PAGE = {
  name: 'directory-identities-after',
  text: `SELECT id, public_key, state, type, feature_mask, server_group
         FROM identity
         WHERE id > $1::bpchar
         ORDER BY id
         LIMIT $2`,
};

/**
 * The identity snapshot for the mailbox's replica (directory.v1 StreamIdentities) on node-postgres directly, like
 * PgLinkedHashReader: one prepared statement per page, reading only the columns directory.v1 Identity carries.
 */
@Injectable()
export class PgIdentityReader implements IdentityReader {
  constructor(private readonly database: DirectoryDatabase) {}

  async identitiesAfter(cursor: string | undefined, limit: number): Promise<KeysetPage<IdentitySummary>> {
    const result = await this.database.pool.query<IdentitySummaryRow>({
      ...PAGE,
      values: [cursor ?? '', limit],
    });
    const entries = result.rows.map((row): IdentitySummary => ({
      id: row.id,
      publicKey: row.public_key,
      state: toStateCode(row.state),
      type: toTypeCode(row.type),
      featureMask: BigInt(row.feature_mask),
      serverGroup: row.server_group,
    }));
    const last = entries.at(-1);
    return { entries, nextCursor: entries.length === limit && last ? last.id : undefined };
  }
}
