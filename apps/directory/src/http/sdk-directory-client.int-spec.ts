import {
  DirectoryClient,
  type DirectoryClientError,
  DirectoryClientErrorCode,
  type IdentityCredentials,
} from '@ots/client';
import { generateX25519KeyPair } from '@ots/crypto';

import { startDirectoryForTest, type TestDirectory } from '../../test/start-directory';

// The client SDK's DirectoryClient against the real directory (real PostgreSQL and NATS): the way our CLI, the
// load generator and the end-to-end tests reach it.
const LOOKUPS_PER_MINUTE = 60;

async function failure(promise: Promise<unknown>): Promise<DirectoryClientError> {
  try {
    await promise;
  } catch (error) {
    return error as DirectoryClientError;
  }
  throw new Error('expected the call to fail');
}

describe('client SDK DirectoryClient against the directory service', () => {
  let directory: TestDirectory;
  let client: DirectoryClient;
  let alice: IdentityCredentials & { publicKey: Uint8Array };

  beforeAll(async () => {
    directory = await startDirectoryForTest({
      DIRECTORY_SERVER_GROUP: '4a',
      DIRECTORY_CREATE_PER_SOURCE_PER_HOUR: '100000',
      DIRECTORY_SIGNED_PER_IDENTITY_PER_MINUTE: '100000',
      DIRECTORY_LOOKUPS_PER_SOURCE_PER_MINUTE: String(LOOKUPS_PER_MINUTE),
    });
    client = new DirectoryClient({ baseUrl: directory.url('') });
  });

  afterAll(async () => {
    await directory.stop();
  });

  it('creates an identity with a generated key pair (two phases, BLAKE2b response)', async () => {
    alice = await client.createIdentity();
    expect(alice.identity).toMatch(/^[0-9A-Z]{8}$/);
    expect(await client.fetchIdentity(alice.identity)).toEqual({
      identity: alice.identity,
      publicKey: Uint8Array.from(alice.publicKey),
      featureMask: 0,
      state: 0,
      type: 0,
    });
  });

  it('returns the server group of the deployment', async () => {
    const bob = await client.createIdentity(generateX25519KeyPair());
    expect(bob.serverGroup).toBe('4a');
    expect(bob.identity).not.toBe(alice.identity);
  });

  it('sets the feature mask with a signed call and reads it back through check and check_featuremask', async () => {
    await client.setFeatureMask(alice, 0x0f);
    expect(await client.check([alice.identity, 'NOSUCHID'])).toEqual({
      identities: [
        { identity: alice.identity, state: 0, type: 0, featureMask: 15 },
        { identity: 'NOSUCHID', state: 2, type: 0, featureMask: null },
      ],
      checkInterval: expect.any(Number) as unknown,
    });
    expect(await client.checkFeatureMask([alice.identity, 'NOSUCHID'])).toEqual([15, null]);
  });

  it('fetches in bulk, leaving out unknown identities', async () => {
    const found = await client.fetchBulk(['NOSUCHID', alice.identity]);
    expect(found.map((entry) => entry.identity)).toEqual([alice.identity]);
  });

  it('surfaces a refused signature as REFUSED with the server’s text and errorType', async () => {
    const error = await failure(
      client.setFeatureMask({ identity: alice.identity, secretKey: generateX25519KeyPair().secretKey }, 0),
    );
    expect(error).toMatchObject({
      code: DirectoryClientErrorCode.REFUSED,
      status: 200,
      errorType: 'invalid-token',
      serverError: expect.any(String) as unknown,
    });
    expect((await client.fetchIdentity(alice.identity)).featureMask).toBe(15);
  });

  it('surfaces an unknown identity as NOT_FOUND with status 404', async () => {
    expect(await failure(client.fetchIdentity('NOSUCHID'))).toMatchObject({
      code: DirectoryClientErrorCode.NOT_FOUND,
      status: 404,
      errorType: 'invalid-identity',
    });
    expect(
      await failure(client.setFeatureMask({ identity: 'NOSUCHID', secretKey: alice.secretKey }, 1)),
    ).toMatchObject({
      code: DirectoryClientErrorCode.NOT_FOUND,
      status: 404,
    });
  });

  it('surfaces the look-up limit as RATE_LIMITED with Retry-After (runs last: it exhausts the limit)', async () => {
    let error: DirectoryClientError | undefined;
    for (let attempt = 0; attempt <= LOOKUPS_PER_MINUTE && error === undefined; attempt++) {
      error = await client.fetchIdentity(alice.identity).then(
        () => undefined,
        (failed: unknown) => failed as DirectoryClientError,
      );
    }
    expect(error).toMatchObject({ code: DirectoryClientErrorCode.RATE_LIMITED, status: 429 });
    expect(error?.retryAfterSeconds).toBeGreaterThan(0);
  });
});
