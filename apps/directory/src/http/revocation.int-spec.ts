import { createHash } from 'node:crypto';

import { DIRECTORY_EVENT_SUBJECTS, directoryEventsV1 } from '@ots/contracts';
import { generateX25519KeyPair } from '@ots/crypto';
import { createDirectoryPrismaClient, type DirectoryPrismaClient } from '@ots/directory-db';
import { waitFor } from '@ots/testing';

import { b64, DirectoryHttpClient } from '../../test/directory-http-client';
import { SubjectRecorder } from '../../test/nats-events';
import { startDirectoryForTest, type TestDirectory } from '../../test/start-directory';

/** spec §4.3: base64(SHA-256(UTF-8 password)[0..4]) */
const revocationKeyOf = (password: string) =>
  b64(createHash('sha256').update(password, 'utf8').digest().subarray(0, 4));

describe('revocation: set/check the key, revoke, ws/revoke (real PostgreSQL and NATS)', () => {
  let directory: TestDirectory;
  let http: DirectoryHttpClient;
  let db: DirectoryPrismaClient;
  let revokedEvents: SubjectRecorder;

  beforeAll(async () => {
    directory = await startDirectoryForTest({
      DIRECTORY_CREATE_PER_SOURCE_PER_HOUR: '1000',
      DIRECTORY_SIGNED_PER_IDENTITY_PER_MINUTE: '1000',
    });
    http = new DirectoryHttpClient((path) => directory.url(path));
    db = createDirectoryPrismaClient(directory.postgres.url, 2);
    revokedEvents = await SubjectRecorder.start(directory.nats.url, DIRECTORY_EVENT_SUBJECTS.revoked);
  });

  afterAll(async () => {
    await revokedEvents.close();
    await db.$disconnect();
    await directory.stop();
  });

  async function newIdentity() {
    const key = generateX25519KeyPair();
    return { key, id: await http.createIdentity(key.publicKey, key.secretKey) };
  }

  const revokedIds = () =>
    revokedEvents.payloads.map((payload) => directoryEventsV1.IdentityRevoked.decode(payload).identity);

  async function expectRevokedEverywhere(id: string): Promise<void> {
    expect(await http.get(`identity/${id}`)).toMatchObject({ status: 404 });
    expect((await http.post('identity/check', { identities: [id] })).json).toMatchObject({ states: [2] });
    expect(await http.post('identity/fetch_bulk', { identities: [id] })).toEqual({
      status: 200,
      json: { identities: [] },
    });
    await waitFor(() => revokedIds().includes(id), { timeoutMs: 5000, description: 'IdentityRevoked event' });
  }

  it('reports no revocation key, then the one set with its time (stored only as a hash)', async () => {
    const { key, id } = await newIdentity();
    const before = await http.signed('identity/check_revocation_key', { identity: id }, key.secretKey);
    expect(before.phaseTwo).toEqual({ status: 200, json: { revocationKeySet: false } });

    const started = Date.now();
    const set = await http.signed(
      'identity/set_revocation_key',
      { identity: id, revocationKey: revocationKeyOf('correct horse') },
      key.secretKey,
    );
    expect(set.phaseTwo).toEqual({ status: 200, json: { success: true } });

    const after = await http.signed('identity/check_revocation_key', { identity: id }, key.secretKey);
    expect(after.phaseTwo.json.revocationKeySet).toBe(true);
    const lastChanged = String(after.phaseTwo.json.lastChanged);
    expect(lastChanged).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(lastChanged)).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);

    const row = await db.identity.findUniqueOrThrow({ where: { id } });
    expect(row.revocationKeyHash).toHaveLength(32);
    expect(Buffer.from(row.revocationKeyHash ?? []).toString('base64')).not.toContain(
      revocationKeyOf('correct horse'),
    );
  });

  it('revokes with a signed identity/revoke: 404, state 2, left out of fetch_bulk, event published', async () => {
    const { key, id } = await newIdentity();
    const revoke = await http.signed('identity/revoke', { identity: id, lang: 'de' }, key.secretKey);
    expect(revoke.phaseTwo).toEqual({ status: 200, json: { success: true } });
    await expectRevokedEverywhere(id);
    // a revoked identity can sign nothing any more
    expect(await http.post('identity/revoke', { identity: id })).toMatchObject({ status: 404 });
  });

  it('refuses identity/revoke signed with another key', async () => {
    const { id } = await newIdentity();
    const revoke = await http.signed('identity/revoke', { identity: id }, generateX25519KeyPair().secretKey);
    expect(revoke.phaseTwo).toMatchObject({
      status: 200,
      json: { success: false, errorType: 'invalid-token' },
    });
    expect((await http.get(`identity/${id}`)).status).toBe(200);
  });

  it('revokes through ws/revoke with the right key only, and drops links and the key', async () => {
    const { key, id } = await newIdentity();
    await http.signed(
      'identity/set_revocation_key',
      { identity: id, revocationKey: revocationKeyOf('s3cret') },
      key.secretKey,
    );
    await db.identity.update({ where: { id }, data: { emailHash: Buffer.alloc(32, 1) } });

    expect(
      await http.post('identity/ws/revoke', { identity: id, revocationKey: revocationKeyOf('wrong') }),
    ).toEqual({
      status: 200,
      json: { success: false, error: 'revocation key does not match' },
    });
    expect((await http.get(`identity/${id}`)).status).toBe(200);

    expect(
      await http.post('identity/ws/revoke', { identity: id, revocationKey: revocationKeyOf('s3cret') }),
    ).toEqual({ status: 200, json: { success: true } });
    await expectRevokedEverywhere(id);
    const row = await db.identity.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      state: 2,
      emailHash: null,
      revocationKeyHash: null,
      revocationKeyChangedAt: null,
    });
  });

  it('refuses ws/revoke for an identity without a key', async () => {
    const { id } = await newIdentity();
    expect(
      await http.post('identity/ws/revoke', { identity: id, revocationKey: revocationKeyOf('x') }),
    ).toMatchObject({
      status: 200,
      json: { success: false },
    });
  });

  it.each<[string, string, unknown]>([
    [
      'a revocation key that is not 4 bytes',
      'identity/set_revocation_key',
      { identity: 'ECHOECHO', revocationKey: 'AAAAAAAA' },
    ],
    ['a numeric revocation key', 'identity/ws/revoke', { identity: 'ECHOECHO', revocationKey: 1234 }],
    ['a missing identity', 'identity/revoke', {}],
    ['an overlong identity', 'identity/check_revocation_key', { identity: 'X'.repeat(100) }],
    ['an array body', 'identity/ws/revoke', ['ECHOECHO']],
  ])('answers 400 for %s', async (_label, path, body) => {
    expect(await http.post(path, body)).toMatchObject({ status: 400, json: { success: false } });
  });

  it('answers malformed JSON with 400 and unknown identities with 404', async () => {
    expect(await http.postRaw('identity/ws/revoke', '{"identity":')).toMatchObject({ status: 400 });
    expect(
      await http.post('identity/ws/revoke', { identity: 'NOSUCHID', revocationKey: revocationKeyOf('x') }),
    ).toMatchObject({ status: 404, json: { success: false, errorType: 'invalid-identity' } });
  });
});
