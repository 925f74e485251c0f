import { Client } from 'pg';

import { withDatabase } from './postgres-url';

/**
 * Creates `name` on the server that `serverUrl` points to and returns that database's URL. Works from any test file
 * given a URL, e.g. one database per suite on the shared server (TEST_DATABASE_URL).
 */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  // the maintenance database always exists, whatever database serverUrl names
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}
