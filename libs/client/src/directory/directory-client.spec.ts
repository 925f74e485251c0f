import { x25519PublicKeyFromSecret } from '@ots/crypto';

import { errorCodeOf } from '../../test/error-code';
import { scriptedFetch, type ScriptedReply } from '../../test/fake-fetch';
import { DirectoryClient, revocationKeyFromPassword } from './directory-client';
import { DirectoryClientError, DirectoryClientErrorCode } from './directory-error';

// spec §11.2 directory challenge: CK = the 0HPT9EWD secret, CPK.secret = 32×0x04, token = 0xff ‖ 31×0xab
const clientSecretKey = Uint8Array.from(
  Buffer.from('5d31a1950a807edcd195ec16a7e980e525c8bafe315d3b9bd9b22b186b4096bd', 'hex'),
);
const clientKeyPair = { secretKey: clientSecretKey, publicKey: x25519PublicKeyFromSecret(clientSecretKey) };
const challenge = {
  token: '/6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=',
  tokenRespKeyPub: 'rAGyIJ6GNU+4UyN7XeD0+rE8f8v0M6YcAZNpYX/s8Qs=',
};
const expectedResponse = 'IhmVc7ZNSupA+D8/HhSP5valHV1GXK4JMWKs21XkUps=';
/** what phase 2 adds to the body */
const answered = { token: challenge.token, response: expectedResponse };
const credentials = { identity: '0HPT9EWD', secretKey: clientSecretKey };
const publicKeyB64 = Buffer.from(clientKeyPair.publicKey).toString('base64');

function clientWith(replies: ScriptedReply[]) {
  const scripted = scriptedFetch(replies);
  const client = new DirectoryClient({ baseUrl: 'http://127.0.0.1:1/', fetch: scripted.fetch });
  return { client, requests: scripted.requests };
}

async function failure(promise: Promise<unknown>): Promise<DirectoryClientError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DirectoryClientError) return error;
    throw error;
  }
  throw new Error('expected a DirectoryClientError');
}

describe('DirectoryClient (spec §4)', () => {
  it('creates an identity in two phases with the BLAKE2b challenge response of spec §4.2', async () => {
    const { client, requests } = clientWith([
      { json: challenge },
      { json: { success: true, identity: 'ABCD1234', serverGroup: '4a' } },
    ]);
    const created = await client.createIdentity(clientKeyPair);
    expect(created).toEqual({
      identity: 'ABCD1234',
      serverGroup: '4a',
      publicKey: clientKeyPair.publicKey,
      secretKey: clientSecretKey,
    });
    expect(requests.map((request) => [request.method, request.url])).toEqual([
      ['POST', 'http://127.0.0.1:1/identity/create'],
      ['POST', 'http://127.0.0.1:1/identity/create'],
    ]);
    expect(requests[0].body).toEqual({ publicKey: publicKeyB64 });
    expect(requests[1].body).toEqual({
      publicKey: publicKeyB64,
      token: challenge.token,
      response: expectedResponse,
    });
    expect(requests[1].headers['content-type']).toBe('application/json');
  });

  it('generates a fresh key pair when none is given', async () => {
    const { client, requests } = clientWith([
      { json: { token: challenge.token, tokenRespKeyPub: challenge.tokenRespKeyPub } },
      { json: { success: true, identity: 'ABCD1234', serverGroup: '00' } },
    ]);
    const created = await client.createIdentity();
    expect(
      Buffer.from(x25519PublicKeyFromSecret(created.secretKey)).equals(Buffer.from(created.publicKey)),
    ).toBe(true);
    expect(requests[0].body).toEqual({ publicKey: Buffer.from(created.publicKey).toString('base64') });
  });

  it('carries the server’s error text and errorType when phase 2 is refused', async () => {
    const { client } = clientWith([
      { json: challenge },
      { json: { success: false, error: 'Invalid token', errorType: 'invalid-token' } },
    ]);
    const error = await failure(client.createIdentity(clientKeyPair));
    expect(error).toMatchObject({
      code: DirectoryClientErrorCode.REFUSED,
      status: 200,
      serverError: 'Invalid token',
      errorType: 'invalid-token',
    });
  });

  it('refuses in phase 1 with the server’s status and text', async () => {
    const { client, requests } = clientWith([
      { status: 400, json: { success: false, error: 'publicKey must be standard base64' } },
    ]);
    const error = await failure(client.createIdentity(clientKeyPair));
    expect(error).toMatchObject({
      code: DirectoryClientErrorCode.BAD_REQUEST,
      status: 400,
      serverError: 'publicKey must be standard base64',
    });
    expect(requests).toHaveLength(1);
  });

  it('fetches an identity and decodes its public key', async () => {
    const { client, requests } = clientWith([
      {
        json: {
          identity: 'ECHOECHO',
          publicKey: publicKeyB64,
          featureLevel: 3,
          featureMask: 15,
          state: 0,
          type: 0,
        },
      },
    ]);
    expect(await client.fetchIdentity('ECHOECHO')).toEqual({
      identity: 'ECHOECHO',
      publicKey: clientKeyPair.publicKey,
      featureMask: 15,
      state: 0,
      type: 0,
    });
    expect(requests[0]).toMatchObject({
      method: 'GET',
      url: 'http://127.0.0.1:1/identity/ECHOECHO',
      body: undefined,
    });
  });

  it('maps 404, 429 with Retry-After, 5xx without JSON and network failures to typed errors', async () => {
    const { client } = clientWith([
      { status: 404, json: { success: false, error: 'Identity not found', errorType: 'invalid-identity' } },
      { status: 429, json: { success: false, error: 'Too many requests' }, headers: { 'retry-after': '17' } },
      { status: 502, text: '<html>bad gateway</html>' },
      { networkError: 'fetch failed' },
    ]);
    expect(await failure(client.fetchIdentity('NOSUCHID'))).toMatchObject({
      code: DirectoryClientErrorCode.NOT_FOUND,
      status: 404,
      serverError: 'Identity not found',
      errorType: 'invalid-identity',
      message: 'identity/<ID>: HTTP 404 (Identity not found)',
    });
    expect(await failure(client.fetchIdentity('NOSUCHID'))).toMatchObject({
      code: DirectoryClientErrorCode.RATE_LIMITED,
      retryAfterSeconds: 17,
    });
    expect(await failure(client.fetchBulk(['NOSUCHID']))).toMatchObject({
      code: DirectoryClientErrorCode.HTTP_ERROR,
      status: 502,
    });
    expect(await failure(client.check(['NOSUCHID']))).toMatchObject({
      code: DirectoryClientErrorCode.NETWORK,
    });
  });

  it('refuses answers that do not have the documented shape', async () => {
    const { client } = clientWith([
      { json: { identity: 'ECHOECHO', publicKey: 'c2hvcnQ=', featureMask: 0 } },
      { status: 200, text: 'not json' },
      { json: { states: [0], types: [0], featureMasks: [], checkInterval: 60 } },
      { json: { token: challenge.token } },
    ]);
    expect(await failure(client.fetchIdentity('ECHOECHO'))).toMatchObject({
      code: DirectoryClientErrorCode.UNEXPECTED_RESPONSE,
    });
    expect(await failure(client.fetchBulk(['ECHOECHO']))).toMatchObject({
      code: DirectoryClientErrorCode.UNEXPECTED_RESPONSE,
    });
    expect(await failure(client.check(['ECHOECHO']))).toMatchObject({
      code: DirectoryClientErrorCode.UNEXPECTED_RESPONSE,
    });
    expect(await failure(client.setFeatureMask(credentials, 3))).toMatchObject({
      code: DirectoryClientErrorCode.UNEXPECTED_RESPONSE,
    });
  });

  it('turns identity/check’s parallel arrays into one entry per identity', async () => {
    const { client } = clientWith([
      { json: { states: [0, 2], types: [1, 0], featureMasks: [15, null], checkInterval: 3600 } },
    ]);
    expect(await client.check(['ECHOECHO', 'NOSUCHID'])).toEqual({
      identities: [
        { identity: 'ECHOECHO', state: 0, type: 1, featureMask: 15 },
        { identity: 'NOSUCHID', state: 2, type: 0, featureMask: null },
      ],
      checkInterval: 3600,
    });
  });

  it('signs calls made on behalf of an identity with its secret key', async () => {
    const { client, requests } = clientWith([
      { json: challenge },
      { json: { success: true } },
      { json: challenge },
      { json: { success: true, identity: '0HPT9EWD', serverGroup: '4a', email: 'a@example.org' } },
      { json: challenge },
      { json: { success: true } },
      { json: challenge },
      { json: { success: true } },
      { json: challenge },
      { json: { success: true, matchToken: 'mt-1' } },
      { json: challenge },
      { json: { revocationKeySet: true, lastChanged: '2026-11-27T00:00:00Z' } },
    ]);
    await client.setFeatureMask(credentials, 0x0f);
    expect(await client.fetchPriv(credentials)).toEqual({
      identity: '0HPT9EWD',
      serverGroup: '4a',
      email: 'a@example.org',
    });
    await client.setRevocationKey(credentials, 'test');
    await client.revoke(credentials);
    expect(await client.matchToken(credentials)).toBe('mt-1');
    expect(await client.checkRevocationKey(credentials)).toEqual({
      revocationKeySet: true,
      lastChanged: '2026-11-27T00:00:00Z',
    });
    const phaseTwo = requests.filter((_, index) => index % 2 === 1);
    expect(phaseTwo.map((request) => [request.url.replace('http://127.0.0.1:1/', ''), request.body])).toEqual(
      [
        ['identity/set_featuremask', { identity: '0HPT9EWD', featureMask: 15, ...answered }],
        ['identity/fetch_priv', { identity: '0HPT9EWD', appVariant: 'consumer', ...answered }],
        ['identity/set_revocation_key', { identity: '0HPT9EWD', revocationKey: 'n4bQgQ==', ...answered }],
        ['identity/revoke', { identity: '0HPT9EWD', ...answered }],
        ['identity/match_token', { identity: '0HPT9EWD', ...answered }],
        ['identity/check_revocation_key', { identity: '0HPT9EWD', ...answered }],
      ],
    );
    // phase 2 repeats phase 1's body exactly, plus token and response
    const { token: _t, response: _r, ...repeated } = requests[1].body!;
    expect(repeated).toEqual(requests[0].body);
    expect(requests[1].body).not.toHaveProperty('tokenRespKeyPub');
  });

  it('links an e-mail address: done in phase 1 when already linked, else answers the challenge', async () => {
    const { client, requests } = clientWith([
      { json: { linked: true } },
      { json: { linked: false, ...challenge } },
      { json: { success: true } },
      { json: { linked: false } },
    ]);
    expect(await client.linkEmail(credentials, 'a@example.org')).toEqual({ linked: true });
    expect(requests).toHaveLength(1);
    expect(await client.linkEmail(credentials, 'b@example.org', 'de')).toEqual({ linked: false });
    expect(requests[2].body).toEqual({
      identity: '0HPT9EWD',
      email: 'b@example.org',
      lang: 'de',
      ...answered,
    });
    expect(await client.isEmailLinked('0HPT9EWD', 'b@example.org')).toBe(false);
    expect(requests[3].body).toEqual({ identity: '0HPT9EWD', email: 'b@example.org' });
  });

  it('sends contact hashes as base64 to identity/match and decodes the matches', async () => {
    const hash = new Uint8Array(32).fill(7);
    const { client, requests } = clientWith([
      {
        json: {
          identities: [
            {
              identity: 'ECHOECHO',
              publicKey: publicKeyB64,
              emailHash: Buffer.from(hash).toString('base64'),
            },
          ],
          checkInterval: 600,
        },
      },
    ]);
    expect(await client.match({ matchToken: 'mt-1', emailHashes: [hash], mobileNoHashes: [] })).toEqual({
      identities: [{ identity: 'ECHOECHO', publicKey: clientKeyPair.publicKey, emailHash: hash }],
      checkInterval: 600,
    });
    expect(requests[0].body).toEqual({
      matchToken: 'mt-1',
      emailHashes: [Buffer.from(hash).toString('base64')],
      mobileNoHashes: [],
    });
  });

  it('refuses malformed identities and base URLs before sending anything', async () => {
    const { client, requests } = clientWith([]);
    expect(await failure(client.fetchIdentity('../admin'))).toMatchObject({
      code: DirectoryClientErrorCode.INVALID_INPUT,
    });
    expect(await failure(client.revoke({ identity: 'abc', secretKey: clientSecretKey }))).toMatchObject({
      code: DirectoryClientErrorCode.INVALID_INPUT,
    });
    expect(requests).toHaveLength(0);
    expect(errorCodeOf(() => new DirectoryClient({ baseUrl: 'http://127.0.0.1:1' }))).toBe(
      DirectoryClientErrorCode.INVALID_INPUT,
    );
  });

  it('revokes with the password-derived key in one unsigned call', async () => {
    const { client, requests } = clientWith([
      { json: { success: true } },
      { json: { success: false, error: 'Wrong revocation key' } },
    ]);
    await client.revokeWithPassword('0HPT9EWD', 'test');
    expect(requests[0]).toMatchObject({
      url: 'http://127.0.0.1:1/identity/ws/revoke',
      body: { identity: '0HPT9EWD', revocationKey: 'n4bQgQ==' },
    });
    expect(await failure(client.revokeWithPassword('0HPT9EWD', 'guess'))).toMatchObject({
      code: DirectoryClientErrorCode.REFUSED,
      serverError: 'Wrong revocation key',
    });
  });

  it('derives the revocation key as base64 of the first 4 bytes of SHA-256', () => {
    expect(revocationKeyFromPassword('test')).toBe('n4bQgQ==');
    expect(revocationKeyFromPassword('test')).toHaveLength(8);
  });

  it('sends OnPrem Basic credentials when configured', async () => {
    const scripted = scriptedFetch([{ json: { identities: [] } }]);
    const client = new DirectoryClient({
      baseUrl: 'http://127.0.0.1:1/',
      fetch: scripted.fetch,
      basicAuth: { username: 'user', password: 'pw' },
    });
    await client.fetchBulk([]);
    expect(scripted.requests[0].headers.authorization).toBe(
      `Basic ${Buffer.from('user:pw').toString('base64')}`,
    );
  });
});
