import { Client } from 'pg';

import { SEED_SQL } from './bench-data';

/** The identity whose key signs the bench's match-token request: no linked hash of its own. */
export async function insertSearcher(
  databaseUrl: string,
  identity: string,
  publicKey: Uint8Array,
): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO directory.identity (id, public_key, server_group, feature_mask) VALUES ($1, $2, '00', 15)`,
      [identity, Buffer.from(publicKey)],
    );
  } finally {
    await client.end();
  }
}

/**
 * Writes `rows` identities with one linked hash each straight into the directory's table (one INSERT … SELECT
 * over generate_series, rows as bench-data.ts defines them). Returns the milliseconds it took.
 */
export async function seedLinkedHashes(databaseUrl: string, rows: number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const started = Date.now();
  try {
    await client.query(`
      INSERT INTO directory.identity (id, public_key, state, server_group, feature_mask, email_hash, mobile_no_hash)
      SELECT ${SEED_SQL.id}, ${SEED_SQL.publicKey}, ${SEED_SQL.state}, '00', 15,
             ${SEED_SQL.emailHash}, ${SEED_SQL.mobileNoHash}
      FROM generate_series(1, ${String(Math.trunc(rows))}) AS i`);
    await client.query('ANALYZE directory.identity');
  } finally {
    await client.end();
  }
  return Date.now() - started;
}
