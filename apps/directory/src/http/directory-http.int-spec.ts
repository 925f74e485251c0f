import { DIRECTORY_EVENT_SUBJECTS, directoryEventsV1, directoryV1 } from '@ots/contracts';
import { generateX25519KeyPair, type X25519KeyPair } from '@ots/crypto';
import { createDirectoryPrismaClient, PrismaIdentityRepository } from '@ots/directory-db';
import { waitFor } from '@ots/testing';

import { answerChallenge } from '../../test/challenge-client';
import { SubjectRecorder } from '../../test/nats-events';
import { startDirectoryForTest, type TestDirectory } from '../../test/start-directory';

interface JsonReply {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (value: unknown) => new Uint8Array(Buffer.from(String(value), 'base64'));

describe('directory REST API (spec §4, real PostgreSQL and NATS)', () => {
  let directory: TestDirectory;
  let createdEvents: SubjectRecorder;
  const client: X25519KeyPair = generateX25519KeyPair();
  let createdId = '';

  beforeAll(async () => {
    directory = await startDirectoryForTest({
      DIRECTORY_SERVER_GROUP: '4a',
      DIRECTORY_CHECK_INTERVAL_S: '3600',
      // this suite exercises behaviour, not limits (rate-limit.int-spec.ts does)
      DIRECTORY_CREATE_PER_SOURCE_PER_HOUR: '100000',
      DIRECTORY_LOOKUPS_PER_SOURCE_PER_MINUTE: '1000000',
      DIRECTORY_SIGNED_PER_IDENTITY_PER_MINUTE: '100000',
    });
    const db = createDirectoryPrismaClient(directory.postgres.url, 2);
    const repository = new PrismaIdentityRepository(db);
    await repository.insert({ id: 'ECHOECHO', publicKey: new Uint8Array(32).fill(9), serverGroup: '0a' });
    await repository.insert({ id: 'REVOKED1', publicKey: new Uint8Array(32).fill(8), serverGroup: '0a' });
    await db.identity.update({ where: { id: 'REVOKED1' }, data: { state: 2 } });
    await db.$disconnect();
    createdEvents = await SubjectRecorder.start(directory.nats.url, DIRECTORY_EVENT_SUBJECTS.created);
  });

  afterAll(async () => {
    await createdEvents.close();
    await directory.stop();
  });

  const url = (path: string) => directory.url(path);

  async function send(path: string, init: RequestInit): Promise<JsonReply> {
    const response = await fetch(url(path), init);
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON: the status is what the test looks at
    }
    return { status: response.status, json };
  }

  const post = (path: string, body: unknown) =>
    send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const postRaw = (path: string, body: string) =>
    send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const get = (path: string) => send(path, { method: 'GET' });

  /** Phase 1 and 2 of a signed call, as a client does it (spec §4.2). */
  async function signed(path: string, body: Record<string, unknown>, secretKey = client.secretKey) {
    const phaseOne = await post(path, body);
    expect(phaseOne.status).toBe(200);
    const answer = answerChallenge(secretKey, {
      token: unb64(phaseOne.json.token),
      tokenRespKeyPub: unb64(phaseOne.json.tokenRespKeyPub),
    });
    const phaseTwoBody = { ...body, token: b64(answer.token), response: b64(answer.response) };
    return { phaseOne, phaseTwoBody, phaseTwo: await post(path, phaseTwoBody) };
  }

  it('creates an identity in two phases and answers GET identity/<ID> with it', async () => {
    const { phaseOne, phaseTwo } = await signed('identity/create', { publicKey: b64(client.publicKey) });
    expect(unb64(phaseOne.json.token)[0]).toBe(0xff);
    expect(unb64(phaseOne.json.tokenRespKeyPub)).toHaveLength(32);
    expect(phaseTwo).toMatchObject({ status: 200, json: { success: true, serverGroup: '4a' } });
    createdId = String(phaseTwo.json.identity);
    expect(createdId).toMatch(/^[0-9A-Z]{8}$/);

    expect(await get(`identity/${createdId}`)).toEqual({
      status: 200,
      json: {
        identity: createdId,
        publicKey: b64(client.publicKey),
        featureLevel: 0,
        featureMask: 0,
        state: 0,
        type: 0,
      },
    });
  });

  it('counts identities created on /metrics: phase 2 that succeeds, not phase 1 and not a wrong answer', async () => {
    const createdTotal = async () => {
      const text = await (await fetch(url('metrics'))).text();
      const line = text.split('\n').find((l) => l.startsWith('ots_directory_identities_created_total{'));
      if (line === undefined) throw new Error('ots_directory_identities_created_total is not on /metrics');
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const before = await createdTotal();
    const key = generateX25519KeyPair();
    const { phaseTwoBody } = await signed(
      'identity/create',
      { publicKey: b64(key.publicKey) },
      key.secretKey,
    );
    expect(await createdTotal()).toBe(before + 1);

    expect((await post('identity/create', { publicKey: b64(key.publicKey) })).status).toBe(200);
    const wrong = await post('identity/create', { ...phaseTwoBody, response: b64(new Uint8Array(32)) });
    expect(wrong.json.success).toBe(false);
    expect(await createdTotal()).toBe(before + 1);
  });

  it('publishes IdentityCreated with the new identity and its public key', async () => {
    const key = generateX25519KeyPair();
    const { phaseTwo } = await signed('identity/create', { publicKey: b64(key.publicKey) }, key.secretKey);
    const id = String(phaseTwo.json.identity);
    const createdFor = () =>
      createdEvents.payloads
        .map((payload) => directoryEventsV1.IdentityCreated.decode(payload).identity)
        .filter((identity) => identity?.identity === id);
    await waitFor(() => createdFor().length > 0, { timeoutMs: 5000, description: 'IdentityCreated event' });
    expect(createdFor()).toEqual([
      {
        identity: id,
        publicKey: Buffer.from(key.publicKey),
        state: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
        type: directoryV1.IdentityType.IDENTITY_TYPE_REGULAR,
        featureMask: 0n,
        serverGroup: '4a',
      },
    ]);
  });

  it('accepts licence fields Android adds only in phase 2', async () => {
    const other = generateX25519KeyPair();
    const phaseOne = await post('identity/create', { publicKey: b64(other.publicKey) });
    const answer = answerChallenge(other.secretKey, {
      token: unb64(phaseOne.json.token),
      tokenRespKeyPub: unb64(phaseOne.json.tokenRespKeyPub),
    });
    const phaseTwo = await post('identity/create', {
      publicKey: b64(other.publicKey),
      deviceId: 'device',
      licenseKey: 'ABCDE-FGHIJ',
      token: b64(answer.token),
      response: b64(answer.response),
    });
    expect(phaseTwo.json).toMatchObject({ success: true });
  });

  it('refuses a token again after a failed attempt', async () => {
    const { phaseTwoBody } = await signed('identity/create', {
      publicKey: b64(generateX25519KeyPair().publicKey),
    });
    // signed() answered with a key that does not match this public key: refused, and the token is spent
    expect(await post('identity/create', phaseTwoBody)).toEqual({
      status: 200,
      json: { success: false, error: expect.any(String) as unknown, errorType: 'invalid-token' },
    });
  });

  it('refuses a replay of a successful phase 2', async () => {
    const key = generateX25519KeyPair();
    const { phaseTwo, phaseTwoBody } = await signed(
      'identity/create',
      { publicKey: b64(key.publicKey) },
      key.secretKey,
    );
    expect(phaseTwo.json.success).toBe(true);
    expect(await post('identity/create', phaseTwoBody)).toMatchObject({
      status: 200,
      json: { success: false, errorType: 'invalid-token' },
    });
  });

  it('refuses a wrong response', async () => {
    const key = generateX25519KeyPair();
    const phaseOne = await post('identity/create', { publicKey: b64(key.publicKey) });
    const reply = await post('identity/create', {
      publicKey: b64(key.publicKey),
      token: phaseOne.json.token,
      response: b64(new Uint8Array(32).fill(1)),
    });
    expect(reply).toMatchObject({ status: 200, json: { success: false, errorType: 'invalid-token' } });
  });

  it('refuses a token issued for another endpoint', async () => {
    const phaseOne = await post('identity/set_featuremask', { identity: createdId, featureMask: 1 });
    const answer = answerChallenge(client.secretKey, {
      token: unb64(phaseOne.json.token),
      tokenRespKeyPub: unb64(phaseOne.json.tokenRespKeyPub),
    });
    const reply = await post('identity/create', {
      publicKey: b64(client.publicKey),
      token: b64(answer.token),
      response: b64(answer.response),
    });
    expect(reply).toMatchObject({ status: 200, json: { success: false, errorType: 'invalid-token' } });
  });

  it('sets the feature mask of the created identity with a signed call', async () => {
    const { phaseTwo } = await signed('identity/set_featuremask', { identity: createdId, featureMask: 0x0f });
    expect(phaseTwo).toEqual({ status: 200, json: { success: true } });
    expect((await get(`identity/${createdId}`)).json).toMatchObject({ featureMask: 15, featureLevel: 3 });
  });

  it('refuses set_featuremask signed by a key other than the identity’s', async () => {
    const { phaseTwo } = await signed(
      'identity/set_featuremask',
      { identity: createdId, featureMask: 0 },
      generateX25519KeyPair().secretKey,
    );
    expect(phaseTwo.json).toMatchObject({ success: false, errorType: 'invalid-token' });
    expect((await get(`identity/${createdId}`)).json).toMatchObject({ featureMask: 15 });
  });

  it('answers 404 for unknown, revoked and malformed IDs', async () => {
    for (const id of ['NOSUCHID', 'REVOKED1', 'echoecho']) {
      expect(await get(`identity/${id}`)).toMatchObject({
        status: 404,
        json: { success: false, errorType: 'invalid-identity' },
      });
    }
    expect(await post('identity/set_featuremask', { identity: 'NOSUCHID', featureMask: 1 })).toMatchObject({
      status: 404,
    });
  });

  it('fetches in bulk, leaving out unknown and revoked IDs', async () => {
    const reply = await post('identity/fetch_bulk', {
      identities: ['NOSUCHID', createdId, 'REVOKED1', 'ECHOECHO'],
    });
    expect(reply.status).toBe(200);
    expect((reply.json.identities as { identity: string }[]).map((identity) => identity.identity)).toEqual([
      createdId,
      'ECHOECHO',
    ]);
  });

  it('checks identities with parallel arrays in request order', async () => {
    expect(
      await post('identity/check', { identities: ['REVOKED1', createdId, 'NOSUCHID', 'ECHOECHO'] }),
    ).toEqual({
      status: 200,
      json: {
        states: [2, 0, 2, 0],
        types: [0, 0, 0, 0],
        featureMasks: [null, 15, null, 0],
        checkInterval: 3600,
      },
    });
    expect(await post('identity/check_featuremask', { identities: [createdId, 'NOSUCHID'] })).toEqual({
      status: 200,
      json: { featureMasks: [15, null] },
    });
  });

  it('refuses more than 1000 identities per request with 400', async () => {
    const identities = new Array<string>(1001).fill('ECHOECHO');
    for (const path of ['identity/fetch_bulk', 'identity/check', 'identity/check_featuremask']) {
      expect(await post(path, { identities })).toMatchObject({ status: 400, json: { success: false } });
    }
  });

  it.each<[string, unknown]>([
    ['identity/create', {}],
    ['identity/create', { publicKey: 42 }],
    ['identity/create', { publicKey: 'not base64!' }],
    ['identity/create', { publicKey: b64(new Uint8Array(31)) }],
    ['identity/create', { publicKey: b64(new Uint8Array(32).fill(1)), token: b64(new Uint8Array(32)) }],
    ['identity/create', ['publicKey']],
    ['identity/fetch_bulk', { identities: 'ECHOECHO' }],
    ['identity/fetch_bulk', { identities: [1, 2] }],
    ['identity/check', { identities: ['X'.repeat(100)] }],
    ['identity/set_featuremask', { identity: 'ECHOECHO', featureMask: '15' }],
    ['identity/set_featuremask', { identity: 'ECHOECHO', featureMask: -1 }],
    ['identity/set_featuremask', { identity: 'ECHOECHO', featureMask: 1.5 }],
  ])('answers %s with body %j with 400 {success:false}', async (path, body) => {
    const reply = await post(path, body);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ success: false, error: expect.any(String) as unknown });
  });

  it('answers malformed JSON and oversized bodies with 4xx and keeps serving', async () => {
    expect(await postRaw('identity/fetch_bulk', '{"identities": [')).toEqual({
      status: 400,
      json: { success: false, error: 'Malformed JSON body' },
    });
    expect((await postRaw('identity/create', 'null')).status).toBe(400);
    const huge = JSON.stringify({ identities: new Array<string>(20_000).fill('ECHOECHO') });
    expect(await postRaw('identity/fetch_bulk', huge)).toEqual({
      status: 413,
      json: { success: false, error: 'Request body too large' },
    });
    expect((await get('identity/ECHOECHO')).status).toBe(200);
  });
});
