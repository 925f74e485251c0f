// The load generator: a separate process (so its CPU use is its own), driven by BENCH_LOAD (JSON). It prints one
// JSON line with the run's figures. Requests go over undici keep-alive connections, one in flight per connection.
import { directoryChallengeResponse, generateX25519KeyPair, x25519HSalsa20 } from '@ots/crypto';
import { Pool } from 'undici';

import { benchIdentityId } from './bench-ids';
import { LatencyRecorder, summarise } from './latency';

export type Scenario = 'get' | 'fetch_bulk' | 'create';

export interface LoadSettings {
  readonly baseUrl: string;
  readonly scenario: Scenario;
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly identityCount: number;
}

const randomId = (count: number) => benchIdentityId(1 + Math.floor(Math.random() * count));

async function postJson(pool: Pool, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await pool.request({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.body.json()) as Record<string, unknown>;
  if (response.statusCode !== 200) throw new Error(`status ${String(response.statusCode)}`);
  return json;
}

/** One unit of work of a scenario; resolves when the client has what it asked for, throws otherwise. */
async function once(pool: Pool, settings: LoadSettings): Promise<void> {
  switch (settings.scenario) {
    case 'get': {
      const response = await pool.request({
        method: 'GET',
        path: `/identity/${randomId(settings.identityCount)}`,
      });
      await response.body.json();
      if (response.statusCode !== 200) throw new Error(`status ${String(response.statusCode)}`);
      return;
    }
    case 'fetch_bulk': {
      const identities = Array.from({ length: 100 }, () => randomId(settings.identityCount));
      const json = await postJson(pool, '/identity/fetch_bulk', { identities });
      if (!Array.isArray(json.identities) || json.identities.length === 0)
        throw new Error('empty fetch_bulk');
      return;
    }
    case 'create': {
      // a client's full registration: phase 1, the BLAKE2b challenge response (spec §4.2), phase 2
      const key = generateX25519KeyPair();
      const publicKey = Buffer.from(key.publicKey).toString('base64');
      const challenge = await postJson(pool, '/identity/create', { publicKey });
      const token = Buffer.from(String(challenge.token), 'base64');
      const shared = x25519HSalsa20(key.secretKey, Buffer.from(String(challenge.tokenRespKeyPub), 'base64'));
      const response = Buffer.from(directoryChallengeResponse(shared, token)).toString('base64');
      const created = await postJson(pool, '/identity/create', {
        publicKey,
        token: token.toString('base64'),
        response,
      });
      if (created.success !== true) throw new Error('create refused');
      return;
    }
  }
}

export async function runLoad(settings: LoadSettings): Promise<ReturnType<typeof summarise>> {
  const pool = new Pool(settings.baseUrl, { connections: settings.connections, pipelining: 1 });
  const recorder = new LatencyRecorder();
  const warmupEnds = Date.now() + settings.warmupS * 1000;
  const ends = warmupEnds + settings.durationS * 1000;
  const worker = async () => {
    while (Date.now() < ends) {
      const started = performance.now();
      const measured = Date.now() >= warmupEnds;
      try {
        await once(pool, settings);
        if (measured) recorder.record(performance.now() - started);
      } catch {
        if (measured) recorder.errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: settings.connections }, worker));
  await pool.close();
  return summarise(settings.scenario, recorder, settings.durationS);
}

if (process.env.BENCH_LOAD !== undefined) {
  const settings = JSON.parse(process.env.BENCH_LOAD) as LoadSettings;
  runLoad(settings).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`load generator failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
