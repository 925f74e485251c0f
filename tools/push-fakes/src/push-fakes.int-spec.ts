import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, constants } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type PushFakes, startPushFakes, writeCredentialFiles } from './push-fakes';

const b64 = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

function jwt(alg: 'RS256' | 'ES256', header: object, claims: object, pem: string): string {
  const input = `${b64(JSON.stringify({ alg, ...header }))}.${b64(JSON.stringify(claims))}`;
  const key = createPrivateKey(pem);
  const signature = sign(
    'sha256',
    Buffer.from(input),
    alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key,
  );
  return `${input}.${b64(signature)}`;
}

interface H2Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

function h2Request(
  session: ReturnType<typeof connect>,
  headers: Record<string, string>,
  body: string,
): Promise<H2Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ...headers });
    let text = '';
    let status = 0;
    let received: Record<string, unknown> = {};
    stream.on('response', (h) => {
      received = h;
      status = Number(h[constants.HTTP2_HEADER_STATUS]);
    });
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    stream.on('end', () => {
      resolve({ status, headers: received, body: text });
    });
    stream.on('error', reject);
    stream.end(body);
  });
}

describe('push fakes (real wire protocols on loopback)', () => {
  let fakes: PushFakes;

  beforeAll(async () => {
    fakes = await startPushFakes({ host: '127.0.0.1', fcmPort: 0, apnsPort: 0, hmsPort: 0 });
  });

  afterAll(async () => {
    await fakes.close();
  });

  beforeEach(() => {
    fakes.state.reset();
  });

  describe('APNs over HTTP/2 with TLS', () => {
    const apnsJwt = (iat = Math.floor(Date.now() / 1000), kid = fakes.credentials.apns.keyId) =>
      jwt('ES256', { kid }, { iss: fakes.credentials.apns.teamId, iat }, fakes.credentials.apns.privateKey);
    const alert = { 'apns-topic': 'app.bundle', 'apns-push-type': 'alert', ':path': '/3/device/abcd01' };
    const open = () => connect(fakes.apnsUrl, { ca: fakes.credentials.apns.ca });

    it('accepts a push with a valid ES256 provider token and answers an apns-id', async () => {
      const session = open();
      const answer = await h2Request(
        session,
        { ...alert, authorization: `bearer ${apnsJwt()}` },
        '{"aps":{}}',
      );
      session.close();
      expect(answer.status).toBe(200);
      expect(answer.headers['apns-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(fakes.state.received).toHaveLength(1);
    });

    it('refuses missing, foreign, expired and too frequently renewed provider tokens', async () => {
      const session = open();
      expect(JSON.parse((await h2Request(session, alert, '{}')).body)).toEqual({
        reason: 'MissingProviderToken',
      });
      const foreign = await h2Request(
        session,
        { ...alert, authorization: `bearer ${apnsJwt(undefined, 'OTHERKEY01')}` },
        '{}',
      );
      expect([foreign.status, JSON.parse(foreign.body)]).toEqual([403, { reason: 'InvalidProviderToken' }]);
      const old = await h2Request(
        session,
        { ...alert, authorization: `bearer ${apnsJwt(Math.floor(Date.now() / 1000) - 7200)}` },
        '{}',
      );
      expect([old.status, JSON.parse(old.body)]).toEqual([403, { reason: 'ExpiredProviderToken' }]);
      const first = Math.floor(Date.now() / 1000) - 10;
      expect(
        (await h2Request(session, { ...alert, authorization: `bearer ${apnsJwt(first)}` }, '{}')).status,
      ).toBe(200);
      const renewed = await h2Request(
        session,
        { ...alert, authorization: `bearer ${apnsJwt(first + 5)}` },
        '{}',
      );
      session.close();
      expect([renewed.status, JSON.parse(renewed.body)]).toEqual([
        429,
        { reason: 'TooManyProviderTokenUpdates' },
      ]);
    });

    it('checks topic and push type, and answers scripted 410s with a timestamp', async () => {
      const session = open();
      const auth = { authorization: `bearer ${apnsJwt()}` };
      const voipOnAlertTopic = await h2Request(
        session,
        { ...alert, ...auth, 'apns-push-type': 'voip' },
        '{}',
      );
      expect(JSON.parse(voipOnAlertTopic.body)).toEqual({ reason: 'DeviceTokenNotForTopic' });
      fakes.state.script({ provider: 'apns', token: 'abcd01', reason: 'Unregistered', timestamp: 1234 });
      const gone = await h2Request(session, { ...alert, ...auth }, '{}');
      session.close();
      expect([gone.status, JSON.parse(gone.body)]).toEqual([
        410,
        { reason: 'Unregistered', timestamp: 1234 },
      ]);
    });
  });

  describe('FCM v1 and the Google token endpoint', () => {
    const account = () => fakes.credentials.fcmServiceAccount;
    async function accessToken(overrides: object = {}): Promise<Response> {
      const iat = Math.floor(Date.now() / 1000);
      const assertion = jwt(
        'RS256',
        { typ: 'JWT' },
        {
          iss: account().client_email,
          scope: 'https://www.googleapis.com/auth/firebase.messaging',
          aud: account().token_uri,
          iat,
          exp: iat + 3600,
          ...overrides,
        },
        account().private_key,
      );
      return fetch(account().token_uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion,
        }).toString(),
      });
    }

    it('issues an access token only for a valid service-account assertion', async () => {
      expect((await accessToken({ aud: 'https://elsewhere/token' })).status).toBe(400);
      expect((await accessToken({ exp: Math.floor(Date.now() / 1000) + 7200 })).status).toBe(400);
      const ok = await accessToken();
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ expires_in: 3599, token_type: 'Bearer' });
    });

    it('sends over h2c with a bearer token and validates the message', async () => {
      const { access_token: token } = (await (await accessToken()).json()) as { access_token: string };
      const session = connect(fakes.fcmUrl);
      const path = `/v1/projects/${account().project_id}/messages:send`;
      const unauthenticated = await h2Request(session, { ':path': path }, '{}');
      expect(unauthenticated.status).toBe(401);
      const badData = await h2Request(
        session,
        { ':path': path, authorization: `Bearer ${token}` },
        JSON.stringify({ message: { token: 't', data: { n: 1 } } }),
      );
      expect([badData.status, JSON.parse(badData.body).error.status]).toEqual([400, 'INVALID_ARGUMENT']);
      const ok = await h2Request(
        session,
        { ':path': path, authorization: `Bearer ${token}` },
        JSON.stringify({
          message: { token: 't', data: { w: '1' }, android: { priority: 'high', ttl: '60s' } },
        }),
      );
      session.close();
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body).name).toMatch(/^projects\/ots-local\/messages\//);
    });
  });

  describe('HMS and the Huawei token endpoint', () => {
    it('requires the client secret and answers the documented business codes', async () => {
      const tokenUrl = `${fakes.hmsUrl}/oauth2/v3/token`;
      const form = (secret: string) =>
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: fakes.credentials.hms.clientId,
          client_secret: secret,
        }).toString();
      const headers = { 'content-type': 'application/x-www-form-urlencoded' };
      expect((await fetch(tokenUrl, { method: 'POST', headers, body: form('wrong') })).status).toBe(400);
      const { access_token: token } = (await (
        await fetch(tokenUrl, { method: 'POST', headers, body: form(fakes.credentials.hms.clientSecret) })
      ).json()) as { access_token: string };
      const send = (body: object) =>
        fetch(`${fakes.hmsUrl}/v1/10577123/messages:send`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect(await (await send({ message: { data: {}, token: ['x'] } })).json()).toMatchObject({
        code: '80100003',
      });
      expect(await (await send({ message: { data: '{}', token: ['x'] } })).json()).toMatchObject({
        code: '80000000',
      });
      fakes.state.script({ provider: 'hms', reason: '80100000', illegalTokens: ['x'] });
      const partial = (await (await send({ message: { data: '{}', token: ['x'] } })).json()) as {
        code: string;
        msg: string;
      };
      expect(partial.code).toBe('80100000');
      expect(JSON.parse(partial.msg)).toEqual({ success: 0, failure: 1, illegal_tokens: ['x'] });
    });
  });

  it('writes the credentials as files with a push.env naming them (for a container sharing the folder)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'push-fakes-'));
    try {
      writeCredentialFiles(dir, fakes.credentials, {
        fcmUrl: fakes.fcmUrl,
        apnsUrl: fakes.apnsUrl,
        hmsUrl: fakes.hmsUrl,
      });
      const env = Object.fromEntries(
        readFileSync(join(dir, 'push.env'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split(/=(.*)/s).slice(0, 2)),
      ) as Record<string, string>;
      expect(JSON.parse(readFileSync(env.PUSH_FCM_SERVICE_ACCOUNT_FILE, 'utf8'))).toEqual(
        fakes.credentials.fcmServiceAccount,
      );
      expect(readFileSync(env.PUSH_APNS_KEY_FILE, 'utf8')).toBe(fakes.credentials.apns.privateKey);
      expect(readFileSync(env.PUSH_HMS_CLIENT_SECRET_FILE, 'utf8')).toBe(fakes.credentials.hms.clientSecret);
      expect(env).toMatchObject({
        PUSH_APNS_PRODUCTION_URL: fakes.apnsUrl,
        PUSH_HMS_OAUTH_URL: `${fakes.hmsUrl}/oauth2/v3/token`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
