import { Injectable } from '@nestjs/common';
import { IdentityStateCode, toStateCode } from '@ots/directory-db';

import type { KeysetPage } from '../domain/keyset-batches';
import { HashKind, type LinkedHashEntry } from '../domain/linked-hash';
import type { LinkedHashReader } from '../domain/stream-linked-hashes/stream-linked-hashes.usecase';
import { DirectoryDatabase } from './directory-database';

interface LinkedHashRow {
  id: string;
  public_key: Buffer;
  state: number;
  email_hash: Buffer | null;
  mobile_no_hash: Buffer | null;
}

// Keyset pages in identity order; '' sorts before every ID, so the first page needs no second statement and
// every page is a primary-key range scan.
const PAGE = {
  name: 'directory-linked-hashes-after',
  text: `SELECT id, public_key, state, email_hash, mobile_no_hash
         FROM identity
         WHERE id > $1::bpchar AND state <> ${String(IdentityStateCode.Revoked)}
           AND (email_hash IS NOT NULL OR mobile_no_hash IS NOT NULL)
         ORDER BY id
         LIMIT $2`,
};

/**
 * The linked-hash snapshot for contact-sync (directory.v1 StreamLinkedHashes) on node-postgres directly, like
 * PgIdentityLookup, reading only the columns the stream carries: with a Prisma findMany per page, streaming
 * 1,000,000 linked hashes took ~40 s (`npm run bench:contact-sync`, docs/adr/0025).
 */
@Injectable()
export class PgLinkedHashReader implements LinkedHashReader {
  constructor(private readonly database: DirectoryDatabase) {}

  async linkedHashesAfter(
    cursor: string | undefined,
    identityLimit: number,
  ): Promise<KeysetPage<LinkedHashEntry>> {
    const result = await this.database.pool.query<LinkedHashRow>({
      ...PAGE,
      values: [cursor ?? '', identityLimit],
    });
    const entries: LinkedHashEntry[] = [];
    for (const row of result.rows) {
      const identity = { id: row.id, publicKey: row.public_key, state: toStateCode(row.state) };
      if (row.email_hash !== null) entries.push({ kind: HashKind.Email, hash: row.email_hash, identity });
      if (row.mobile_no_hash !== null) {
        entries.push({ kind: HashKind.MobileNo, hash: row.mobile_no_hash, identity });
      }
    }
    const last = result.rows.at(-1);
    return { entries, nextCursor: result.rows.length === identityLimit && last ? last.id : undefined };
  }
}
