import { Client } from 'pg';

import { BENCH_ID_SQL } from './bench-ids';

/**
 * Loads `count` identities in one INSERT … SELECT over generate_series (no round trip per row): IDs from
 * bench-ids.ts, a 32-byte pseudo-random public key from md5 of the row number, feature mask 0x0f.
 */
export async function seedIdentities(databaseUrl: string, count: number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const started = Date.now();
  try {
    await client.query(`
      INSERT INTO directory.identity (id, public_key, server_group, feature_mask)
      SELECT ${BENCH_ID_SQL}, decode(md5(i::text) || md5((i + ${String(count)})::text), 'hex'), '00', 15
      FROM generate_series(1, ${String(count)}) AS i`);
    await client.query('ANALYZE directory.identity');
  } finally {
    await client.end();
  }
  return Date.now() - started;
}
