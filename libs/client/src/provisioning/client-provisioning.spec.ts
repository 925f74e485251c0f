import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateEd25519KeyPair } from '@ots/crypto';
import { type OppfContent, signOppf } from '@ots/protocol';

import { errorCodeOf } from '../../test/error-code';
import {
  chatServerHost,
  loadClientProvisioning,
  parseClientProvisioning,
  parseTrustedKey,
  readTrustedKeyFile,
} from './client-provisioning';
import { ProvisioningErrorCode } from './provisioning-error';

const signing = generateEd25519KeyPair();
const serverKey = new Uint8Array(32).fill(0x11);
const my3dataKey = new Uint8Array(32).fill(0x22);
const content: OppfContent = {
  version: '1.0',
  refresh: 86_400,
  license: { id: 'local-development', expires: '2030-01-31', count: 1000 },
  chat: { hostname: '127.0.0.1', publicKey: Buffer.from(serverKey).toString('base64'), ports: [5222, 443] },
  directory: { url: 'http://127.0.0.1:8080/' },
  systemIdentities: [{ identity: '*MY3DATA', publicKey: Buffer.from(my3dataKey).toString('base64') }],
};
const file = signOppf(content, signing);
const now = new Date('2027-06-01T00:00:00Z');

describe('client provisioning from the OPPF (spec §9.4)', () => {
  it('gives the chat server, the directory URL and the pinned system identity keys', () => {
    const provisioning = parseClientProvisioning(file, [signing.publicKey], now);
    expect(provisioning).toEqual({
      chat: { hostname: '127.0.0.1', ports: [5222, 443], publicKey: serverKey },
      directoryUrl: 'http://127.0.0.1:8080/',
      systemIdentities: new Map([['*MY3DATA', my3dataKey]]),
      expires: '2030-01-31',
    });
  });

  it('has no system identities when the file lists none', () => {
    const { systemIdentities: _none, ...withoutSystem } = content;
    const provisioning = parseClientProvisioning(signOppf(withoutSystem, signing), [signing.publicKey], now);
    expect(provisioning.systemIdentities.size).toBe(0);
  });

  it('refuses a file signed by another key, or tampered with, as UNTRUSTED', () => {
    const other = generateEd25519KeyPair();
    expect(errorCodeOf(() => parseClientProvisioning(file, [other.publicKey], now))).toBe(
      ProvisioningErrorCode.UNTRUSTED,
    );
    const tampered = file.replace('"127.0.0.1"', '"10.6.6.6"');
    expect(errorCodeOf(() => parseClientProvisioning(tampered, [signing.publicKey], now))).toBe(
      ProvisioningErrorCode.UNTRUSTED,
    );
  });

  it('refuses a file that is not an OPPF as INVALID', () => {
    expect(errorCodeOf(() => parseClientProvisioning('{}', [signing.publicKey], now))).toBe(
      ProvisioningErrorCode.INVALID,
    );
  });

  it('accepts the file through its expiry day and refuses it after', () => {
    expect(() =>
      parseClientProvisioning(file, [signing.publicKey], new Date('2030-01-31T23:59:59Z')),
    ).not.toThrow();
    expect(
      errorCodeOf(() => parseClientProvisioning(file, [signing.publicKey], new Date('2030-02-01T00:00:00Z'))),
    ).toBe(ProvisioningErrorCode.EXPIRED);
  });

  it('substitutes the server group into the chat hostname', () => {
    const provisioning = parseClientProvisioning(
      signOppf(
        { ...content, chat: { ...content.chat, hostname: 'g-{serverGroupPrefix8}.chat.example' } },
        signing,
      ),
      [signing.publicKey],
      now,
    );
    expect(chatServerHost(provisioning, '4A')).toBe('g-4a.chat.example');
  });

  describe('files', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ots-provisioning-'));
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads the OPPF and the pinned key as npm start writes them', () => {
      writeFileSync(join(dir, 'client-config.oppf'), file);
      writeFileSync(join(dir, 'oppf-signing.pub'), `${Buffer.from(signing.publicKey).toString('base64')}\n`);
      const key = readTrustedKeyFile(join(dir, 'oppf-signing.pub'));
      expect(loadClientProvisioning(join(dir, 'client-config.oppf'), [key]).directoryUrl).toBe(
        'http://127.0.0.1:8080/',
      );
    });

    it('names a missing file in an UNREADABLE error', () => {
      const missing = join(dir, 'nope.oppf');
      expect(() => loadClientProvisioning(missing, [signing.publicKey])).toThrow(`${missing} (ENOENT)`);
      expect(errorCodeOf(() => readTrustedKeyFile(missing))).toBe(ProvisioningErrorCode.UNREADABLE);
    });

    it('refuses a pinned key that is not base64 of 32 bytes', () => {
      for (const text of ['', 'abc', Buffer.alloc(31).toString('base64'), Buffer.alloc(32).toString('hex')]) {
        expect(errorCodeOf(() => parseTrustedKey(text))).toBe(ProvisioningErrorCode.INVALID_TRUSTED_KEY);
      }
    });
  });
});
