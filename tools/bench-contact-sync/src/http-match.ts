import { directoryChallengeResponse, x25519HSalsa20 } from '@ots/crypto';
import { Pool } from 'undici';

import type { MatchQuery } from './bench-data';
import { type Latency, latencyOf } from './latency';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

async function postJson(pool: Pool, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await pool.request({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await response.body.json()) as Record<string, unknown>;
  if (response.statusCode !== 200) {
    throw new Error(`${path}: status ${String(response.statusCode)} ${JSON.stringify(json)}`);
  }
  return json;
}

/** identity/match_token (spec §4.3, signed per §4.2): the challenge, answered with the identity's key. */
export async function fetchMatchToken(
  baseUrl: string,
  credentials: { identity: string; secretKey: Uint8Array },
): Promise<string> {
  const pool = new Pool(baseUrl, { connections: 1 });
  try {
    const challenge = await postJson(pool, '/identity/match_token', { identity: credentials.identity });
    const token = Buffer.from(String(challenge.token), 'base64');
    const shared = x25519HSalsa20(
      credentials.secretKey,
      Buffer.from(String(challenge.tokenRespKeyPub), 'base64'),
    );
    const answered = await postJson(pool, '/identity/match_token', {
      identity: credentials.identity,
      token: b64(token),
      response: b64(directoryChallengeResponse(shared, token)),
    });
    if (typeof answered.matchToken !== 'string') throw new Error('identity/match_token gave no matchToken');
    return answered.matchToken;
  } finally {
    await pool.close();
  }
}

export interface HttpMatchFigures {
  readonly latency: Latency;
  /** answers whose identities differ in number from what the seeded rows imply */
  readonly wrongAnswers: number;
}

/**
 * identity/match over one keep-alive connection, one request in flight: the time from sending the JSON body to
 * having parsed the answer. Bodies are serialised before timing. After `warmup` requests, `requests` are timed.
 */
export async function measureHttpMatch(
  baseUrl: string,
  matchToken: string,
  queries: readonly MatchQuery[],
  options: { requests: number; warmup: number },
): Promise<HttpMatchFigures> {
  const bodies = queries.map((query) =>
    JSON.stringify({
      matchToken,
      emailHashes: query.emailHashes.map(b64),
      mobileNoHashes: query.mobileNoHashes.map(b64),
    }),
  );
  const pool = new Pool(baseUrl, { connections: 1, pipelining: 1 });
  const samples: number[] = [];
  let wrongAnswers = 0;
  try {
    for (let n = 0; n < options.warmup + options.requests; n++) {
      const q = n % queries.length;
      const started = performance.now();
      const answer = await postJson(pool, '/identity/match', bodies[q]);
      const elapsed = performance.now() - started;
      const identities = answer.identities;
      if (!Array.isArray(identities) || identities.length !== queries[q].expectedMatches) wrongAnswers++;
      if (n >= options.warmup) samples.push(elapsed);
    }
  } finally {
    await pool.close();
  }
  return { latency: latencyOf(samples), wrongAnswers };
}
