import { DIRECTORY_EVENT_SUBJECTS, directoryEventsV1, directoryV1 } from '@ots/contracts';
import { generateX25519KeyPair, type X25519KeyPair } from '@ots/crypto';
import { createDirectoryPrismaClient, type DirectoryPrismaClient } from '@ots/directory-db';
import { freePort, waitFor } from '@ots/testing';

import { DirectoryHttpClient } from '../../test/directory-http-client';
import { FakeSmsGateway } from '../../test/fake-sms-gateway';
import { FakeSmtpServer, mailText } from '../../test/fake-smtp-server';
import { SubjectRecorder } from '../../test/nats-events';
import { startDirectoryForTest, type TestDirectory } from '../../test/start-directory';

// spec §11.1 item 2: contact hash vectors
const EMAIL_VECTOR = {
  address: 'test@threema.ch',
  hex: '1ea093239cc5f0e1b6ec81b866265b921f26dc4033025410063309f4d1a8ee2c',
};
const PHONE_VECTOR = {
  number: '41791234567',
  hex: 'ad398f4d7ebe63c6550a486cc6e07f9baa09bd9d8b3d8cb9d9be106d35a7fdbc',
};
const GATEWAY_AUTH = 'Bearer test-gateway-credential';

describe('fetch_priv and e-mail/phone links with verification (real PostgreSQL, NATS, SMTP, HTTP gateway)', () => {
  let directory: TestDirectory;
  let http: DirectoryHttpClient;
  let db: DirectoryPrismaClient;
  let smtp: FakeSmtpServer;
  let sms: FakeSmsGateway;
  let linked: SubjectRecorder;
  let unlinked: SubjectRecorder;

  beforeAll(async () => {
    smtp = await FakeSmtpServer.start(await freePort());
    sms = await FakeSmsGateway.start(await freePort());
    directory = await startDirectoryForTest({
      DIRECTORY_CREATE_PER_SOURCE_PER_HOUR: '1000',
      DIRECTORY_SIGNED_PER_IDENTITY_PER_MINUTE: '1000',
      DIRECTORY_PUBLIC_URL: 'http://directory.invalid/base/',
      DIRECTORY_SMTP_HOST: '127.0.0.1',
      DIRECTORY_SMTP_PORT: String(smtp.port),
      DIRECTORY_SMTP_FROM: 'verify@example.org',
      DIRECTORY_SMS_GATEWAY_URL: sms.url,
      DIRECTORY_SMS_GATEWAY_AUTHORIZATION: GATEWAY_AUTH,
    });
    http = new DirectoryHttpClient((path) => directory.url(path));
    db = createDirectoryPrismaClient(directory.postgres.url, 2);
    linked = await SubjectRecorder.start(directory.nats.url, DIRECTORY_EVENT_SUBJECTS.linked);
    unlinked = await SubjectRecorder.start(directory.nats.url, DIRECTORY_EVENT_SUBJECTS.unlinked);
  });

  afterAll(async () => {
    await Promise.all([linked.close(), unlinked.close()]);
    await db.$disconnect();
    await directory.stop();
    await Promise.all([smtp.stop(), sms.stop()]);
  });

  async function newIdentity(): Promise<{ key: X25519KeyPair; id: string }> {
    const key = generateX25519KeyPair();
    return { key, id: await http.createIdentity(key.publicKey, key.secretKey) };
  }

  /** Every directory table as text (bytea shows as hex), to prove a clear address or number is nowhere. */
  async function allStoredText(): Promise<string> {
    const rows = await db.$queryRaw<{ row: string }[]>`
      SELECT row_to_json(i)::text AS row FROM directory.identity i
      UNION ALL SELECT row_to_json(p)::text FROM directory.pending_link p`;
    return rows.map((r) => r.row).join('\n');
  }

  function expectNowhereStored(stored: string, clear: string): void {
    expect(stored).not.toContain(clear);
    expect(stored).not.toContain(Buffer.from(clear, 'utf8').toString('hex'));
  }

  const linkedEvents = () => linked.payloads.map((p) => directoryEventsV1.HashLinked.decode(p));
  const unlinkedEvents = () => unlinked.payloads.map((p) => directoryEventsV1.HashUnlinked.decode(p));

  it('answers fetch_priv with identity and serverGroup only', async () => {
    const { key, id } = await newIdentity();
    const { phaseTwo } = await http.signed(
      'identity/fetch_priv',
      { identity: id, appVariant: 'consumer' },
      key.secretKey,
    );
    expect(phaseTwo).toEqual({ status: 200, json: { success: true, identity: id, serverGroup: '00' } });
  });

  it('links an e-mail address end to end: SMTP mail, link followed, only the §4.4 hash remains', async () => {
    const { key, id } = await newIdentity();
    const body = { identity: id, email: ' Test@Threema.CH ', lang: 'en' };
    const { phaseOne, phaseTwo } = await http.signed('identity/link_email', body, key.secretKey);
    expect(phaseOne.json).toMatchObject({ linked: false, token: expect.any(String) as unknown });
    expect(phaseTwo).toEqual({ status: 200, json: { success: true } });

    await waitFor(() => smtp.mails.length === 1, { timeoutMs: 10_000, description: 'verification mail' });
    const [mail] = smtp.mails;
    expect(mail.from).toBe('verify@example.org');
    expect(mail.to).toEqual([EMAIL_VECTOR.address]);
    const text = mailText(mail.raw);
    const match =
      /http:\/\/directory\.invalid\/base\/(identity\/link_email\/verify\?id=[\w-]+&token=[\w-]+)/.exec(text);
    expect(match).not.toBeNull();

    // before the link is followed: a pending row with hashes only, no link yet
    const pending = await db.pendingLink.findMany({ where: { identityId: id } });
    expect(pending).toHaveLength(1);
    expect(Buffer.from(pending[0].hash).toString('hex')).toBe(EMAIL_VECTOR.hex);
    expectNowhereStored(await allStoredText(), EMAIL_VECTOR.address);
    expect((await db.identity.findUniqueOrThrow({ where: { id } })).emailHash).toBeNull();

    // the user opens the link (the path sits under identity/, which PUBLIC_ROUTES sends to the directory)
    const response = await fetch(directory.url(match?.[1] ?? ''));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('linked');

    const row = await db.identity.findUniqueOrThrow({ where: { id } });
    expect(Buffer.from(row.emailHash ?? []).toString('hex')).toBe(EMAIL_VECTOR.hex);
    expect(await db.pendingLink.count({ where: { identityId: id } })).toBe(0);
    expectNowhereStored(await allStoredText(), EMAIL_VECTOR.address);

    await waitFor(() => linkedEvents().some((e) => e.entry?.identity === id), {
      timeoutMs: 5000,
      description: 'HashLinked event',
    });
    const event = linkedEvents().find((e) => e.entry?.identity === id);
    expect(event?.entry).toMatchObject({
      kind: directoryV1.HashKind.HASH_KIND_EMAIL,
      hash: Buffer.from(EMAIL_VECTOR.hex, 'hex'),
      publicKey: Buffer.from(key.publicKey),
      state: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
    });

    // the same address again: already linked, phase 1 says so and issues no challenge
    expect(await http.post('identity/link_email', { identity: id, email: 'test@threema.ch' })).toEqual({
      status: 200,
      json: { linked: true },
    });
    // the link is single-use
    expect(await http.get(match?.[1] ?? '')).toMatchObject({ status: 200, json: { success: false } });

    // unlink with an empty address: the hash goes, HashUnlinked is published
    const unlink = await http.signed('identity/link_email', { identity: id, email: '' }, key.secretKey);
    expect(unlink.phaseOne.json).toMatchObject({ linked: false });
    expect(unlink.phaseTwo).toEqual({ status: 200, json: { success: true } });
    expect((await db.identity.findUniqueOrThrow({ where: { id } })).emailHash).toBeNull();
    await waitFor(() => unlinkedEvents().some((e) => e.identity === id), {
      timeoutMs: 5000,
      description: 'HashUnlinked event',
    });
    expect(unlinkedEvents().find((e) => e.identity === id)).toMatchObject({
      kind: directoryV1.HashKind.HASH_KIND_EMAIL,
      hash: Buffer.from(EMAIL_VECTOR.hex, 'hex'),
    });
  });

  it('refuses a wrong e-mail token and leaves the pending link in place', async () => {
    const { key, id } = await newIdentity();
    smtp.mails.length = 0;
    await http.signed('identity/link_email', { identity: id, email: 'other@example.org' }, key.secretKey);
    await waitFor(() => smtp.mails.length === 1, { timeoutMs: 10_000, description: 'verification mail' });
    const [pending] = await db.pendingLink.findMany({ where: { identityId: id } });
    expect(await http.get(`identity/link_email/verify?id=${pending.id}&token=wrong`)).toEqual({
      status: 200,
      json: { success: false, error: 'unknown, expired or wrong verification' },
    });
    expect(await http.get('identity/link_email/verify')).toMatchObject({ status: 400 });
    expect((await db.identity.findUniqueOrThrow({ where: { id } })).emailHash).toBeNull();
    expect(await db.pendingLink.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      attempts: 1,
    });
  });

  it('links a phone number by SMS code through the HTTP gateway, with a call as fallback', async () => {
    const { key, id } = await newIdentity();
    sms.requests.length = 0;
    const body = { identity: id, mobileNo: PHONE_VECTOR.number, lang: 'en', httpsUrl: true };
    const { phaseOne, phaseTwo } = await http.signed('identity/link_mobileno', body, key.secretKey);
    expect(phaseOne.json).toMatchObject({ linked: false });
    expect(phaseTwo.json).toEqual({ success: true, verificationId: expect.any(String) as unknown });
    const verificationId = String(phaseTwo.json.verificationId);

    expect(sms.requests).toHaveLength(1);
    expect(sms.requests[0].authorization).toBe(GATEWAY_AUTH);
    expect(sms.requests[0].body).toMatchObject({ channel: 'sms', to: PHONE_VECTOR.number });
    const code = /(\d{6})/.exec(sms.requests[0].body.text)?.[1] ?? '';
    expect(code).toHaveLength(6);
    expectNowhereStored(await allStoredText(), PHONE_VECTOR.number);
    expectNowhereStored(await allStoredText(), code);

    const wrong = code === '000000' ? '000001' : '000000';
    expect(await http.post('identity/link_mobileno', { verificationId, code: wrong })).toEqual({
      status: 200,
      json: { success: false, error: 'unknown, expired or wrong verification' },
    });

    expect(await http.post('identity/link_mobileno_call', { verificationId })).toEqual({
      status: 200,
      json: { success: true },
    });
    expect(sms.requests[1].body).toMatchObject({ channel: 'voice', to: PHONE_VECTOR.number });
    expect(sms.requests[1].body.text.replace(/\D/g, '')).toBe(code);
    // one call per verification
    expect((await http.post('identity/link_mobileno_call', { verificationId })).json).toMatchObject({
      success: false,
    });

    expect(await http.post('identity/link_mobileno', { verificationId, code })).toEqual({
      status: 200,
      json: { success: true },
    });
    const row = await db.identity.findUniqueOrThrow({ where: { id } });
    expect(Buffer.from(row.mobileNoHash ?? []).toString('hex')).toBe(PHONE_VECTOR.hex);
    expect(await db.pendingLink.count({ where: { identityId: id } })).toBe(0);
    expectNowhereStored(await allStoredText(), PHONE_VECTOR.number);
    await waitFor(
      () =>
        linkedEvents().some(
          (e) => e.entry?.identity === id && e.entry.kind === directoryV1.HashKind.HASH_KIND_MOBILE_NO,
        ),
      { timeoutMs: 5000, description: 'HashLinked event for the phone' },
    );
  });

  it('drops a pending phone link after five wrong codes', async () => {
    const { key, id } = await newIdentity();
    sms.requests.length = 0;
    const { phaseTwo } = await http.signed(
      'identity/link_mobileno',
      { identity: id, mobileNo: '41790000001' },
      key.secretKey,
    );
    const verificationId = String(phaseTwo.json.verificationId);
    const code = /(\d{6})/.exec(sms.requests[0].body.text)?.[1] ?? '';
    const wrong = code === '000000' ? '000001' : '000000';
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await http.post('identity/link_mobileno', { verificationId, code: wrong })).json.success).toBe(
        false,
      );
    }
    expect(await db.pendingLink.count({ where: { identityId: id } })).toBe(0);
    expect((await http.post('identity/link_mobileno', { verificationId, code })).json.success).toBe(false);
    expect((await db.identity.findUniqueOrThrow({ where: { id } })).mobileNoHash).toBeNull();
  });

  it('answers 503 and keeps nothing when the SMS gateway refuses', async () => {
    const { key, id } = await newIdentity();
    sms.status = 500;
    try {
      const { phaseTwo } = await http.signed(
        'identity/link_mobileno',
        { identity: id, mobileNo: '41790000002' },
        key.secretKey,
      );
      expect(phaseTwo).toMatchObject({ status: 503, json: { success: false } });
    } finally {
      sms.status = 202;
    }
    expect(await db.pendingLink.count({ where: { identityId: id } })).toBe(0);
  });

  it.each<[string, string, unknown]>([
    ['an address that is not one', 'identity/link_email', { identity: 'ECHOECHO', email: 'not-an-address' }],
    ['a numeric address', 'identity/link_email', { identity: 'ECHOECHO', email: 42 }],
    [
      'an overlong address',
      'identity/link_email',
      { identity: 'ECHOECHO', email: `${'a'.repeat(400)}@x.org` },
    ],
    ['a number with +', 'identity/link_mobileno', { identity: 'ECHOECHO', mobileNo: '+41791234567' }],
    ['a number with letters', 'identity/link_mobileno', { identity: 'ECHOECHO', mobileNo: '4179ABC' }],
    [
      'a non-boolean httpsUrl',
      'identity/link_mobileno',
      { identity: 'ECHOECHO', mobileNo: '41791234567', httpsUrl: 'yes' },
    ],
    ['a numeric verificationId', 'identity/link_mobileno', { verificationId: 5, code: '123456' }],
    ['a missing verificationId', 'identity/link_mobileno_call', {}],
    ['a numeric appVariant', 'identity/fetch_priv', { identity: 'ECHOECHO', appVariant: 1 }],
  ])('answers 400 for %s', async (_label, path, body) => {
    expect(await http.post(path, body)).toMatchObject({ status: 400, json: { success: false } });
  });

  it('answers an unknown verification with {success:false} and an unknown identity with 404', async () => {
    expect(await http.post('identity/link_mobileno', { verificationId: 'nope', code: '123456' })).toEqual({
      status: 200,
      json: { success: false, error: 'unknown, expired or wrong verification' },
    });
    expect(await http.post('identity/link_email', { identity: 'NOSUCHID', email: 'a@b.org' })).toMatchObject({
      status: 404,
      json: { errorType: 'invalid-identity' },
    });
  });
});
