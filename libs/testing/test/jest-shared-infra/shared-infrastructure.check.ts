// Runs inside the Jest project of jest.config.js (relative import: the lint rule forbids a project's own alias): the shared servers must be reachable through the environment.
import { writeFileSync } from 'node:fs';

import { connect, StringCodec } from 'nats';
import { Client } from 'pg';

import { createDatabase, sharedInfrastructureUrls } from '../../src';

it('reaches the shared PostgreSQL and NATS through TEST_DATABASE_URL and TEST_NATS_URL', async () => {
  const { databaseUrl, natsUrl } = sharedInfrastructureUrls();

  const suiteUrl = await createDatabase(databaseUrl, 'suite_db');
  const client = new Client({ connectionString: suiteUrl });
  await client.connect();
  const result = await client.query<{ db: string }>('SELECT current_database() AS db');
  await client.end();
  expect(result.rows[0].db).toBe('suite_db');

  const nc = await connect({ servers: natsUrl });
  const codec = StringCodec();
  const subscription = nc.subscribe('check', { max: 1 });
  nc.publish('check', codec.encode('ping'));
  for await (const message of subscription) expect(codec.decode(message.data)).toBe('ping');
  await nc.close();

  // tells the outer test which servers to look for after the run
  writeFileSync(process.env.SHARED_INFRA_REPORT!, JSON.stringify({ databaseUrl, natsUrl }));
});
