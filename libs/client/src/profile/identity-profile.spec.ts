import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { generateX25519KeyPair } from '@ots/crypto';

import { errorCodeOf } from '../../test/error-code';
import { IdentityProfile, loadProfile, ProfileErrorCode, saveProfile } from './identity-profile';

describe('local identity profile', () => {
  let dir: string;
  const keys = generateX25519KeyPair();
  const secretBase64 = Buffer.from(keys.secretKey).toString('base64');
  const secretHex = Buffer.from(keys.secretKey).toString('hex');
  const profile = new IdentityProfile('ALICE001', keys.secretKey, '4a');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ots-profile-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('saves a 0600 JSON file and loads it back', () => {
    const path = join(dir, 'profiles', 'alice.json');
    saveProfile(path, profile);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const loaded = loadProfile(path);
    expect(loaded.identity).toBe('ALICE001');
    expect(loaded.serverGroup).toBe('4a');
    expect(Buffer.from(loaded.secretKey).equals(Buffer.from(keys.secretKey))).toBe(true);
    expect(Buffer.from(loaded.publicKey).equals(Buffer.from(keys.publicKey))).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
      version: 1,
      identity: 'ALICE001',
      secretKey: secretBase64,
    });
  });

  it('never shows the secret key when printed or serialised', () => {
    for (const text of [
      inspect(profile),
      JSON.stringify(profile),
      String(Object.keys(profile)),
      inspect({ profile }),
    ]) {
      expect(text).not.toContain(secretBase64);
      expect(text).not.toContain(secretHex);
      expect(text).not.toContain('secretKey');
    }
    expect(inspect(profile)).toContain('ALICE001');
  });

  it('does not overwrite an existing profile unless asked', () => {
    const path = join(dir, 'twice.json');
    saveProfile(path, profile);
    expect(
      errorCodeOf(() => {
        saveProfile(path, profile);
      }),
    ).toBe(ProfileErrorCode.ALREADY_EXISTS);
    const other = new IdentityProfile('BOB00002', generateX25519KeyPair().secretKey, '4a');
    saveProfile(path, other, { overwrite: true });
    expect(loadProfile(path).identity).toBe('BOB00002');
  });

  it('refuses a profile readable by group or others', () => {
    const path = join(dir, 'open.json');
    saveProfile(path, profile);
    chmodSync(path, 0o644);
    expect(errorCodeOf(() => loadProfile(path))).toBe(ProfileErrorCode.INSECURE_PERMISSIONS);
    expect(() => loadProfile(path)).toThrow(`chmod 600 ${path}`);
  });

  it('reports a missing profile as NOT_FOUND', () => {
    expect(errorCodeOf(() => loadProfile(join(dir, 'missing.json')))).toBe(ProfileErrorCode.NOT_FOUND);
  });

  it.each([
    ['not JSON', '{'],
    ['a wrong version', { version: 2 }],
    ['a bad identity', { identity: 'alice' }],
    ['a short secret key', { secretKey: Buffer.alloc(31).toString('base64') }],
    [
      'a public key of another secret key',
      { publicKey: Buffer.from(generateX25519KeyPair().publicKey).toString('base64') },
    ],
  ])('refuses a profile with %s as INVALID, without echoing its content', (_case, change) => {
    const path = join(dir, 'broken.json');
    const valid = {
      version: 1,
      identity: 'ALICE001',
      serverGroup: '4a',
      publicKey: Buffer.from(keys.publicKey).toString('base64'),
      secretKey: secretBase64,
    };
    writeFileSync(path, typeof change === 'string' ? change : JSON.stringify({ ...valid, ...change }), {
      mode: 0o600,
    });
    chmodSync(path, 0o600);
    let message = '';
    try {
      loadProfile(path);
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code: unknown }).code).toBe(ProfileErrorCode.INVALID);
    }
    expect(message).not.toBe('');
    expect(message).not.toContain(secretBase64);
  });
});
