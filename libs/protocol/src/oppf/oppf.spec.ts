import { ed25519Sign, generateEd25519KeyPair } from '@ots/crypto';

import { protocolErrorCodeOf } from '../../test/error-code';
import { ProtocolError, ProtocolErrorCode } from '../protocol-error';
import type { OppfContent } from './oppf-document';
import { parseOppf } from './parse-oppf';
import { signOppf } from './sign-oppf';

const signingKey = generateEd25519KeyPair(new Uint8Array(32).fill(0x42));
const otherKey = generateEd25519KeyPair(new Uint8Array(32).fill(0x43));

const content: OppfContent = {
  version: '1.0',
  refresh: 86400,
  license: { id: 'ots-local', expires: '2030-12-31', count: 1000 },
  chat: {
    hostname: 'chat.ots.example',
    publicKey: Buffer.alloc(32, 0x01).toString('base64'),
    ports: [5222, 443],
  },
  directory: { url: 'https://directory.ots.example/' },
  blob: {
    uploadUrl: 'https://blob.ots.example/upload',
    downloadUrl: 'https://blob.ots.example/{blobId}',
    doneUrl: 'https://blob.ots.example/{blobId}/done',
  },
};

/** Signs arbitrary JSON text like signOppf does, to build files signOppf itself would refuse. */
function signRaw(json: string, key = signingKey): string {
  return `${json}\n${Buffer.from(ed25519Sign(Buffer.from(json, 'utf8'), key.secretKey)).toString('base64')}`;
}

function splitFile(file: string): [string, string] {
  const split = file.lastIndexOf('\n');
  return [file.slice(0, split), file.slice(split + 1)];
}

describe('signOppf / parseOppf (spec §9.4)', () => {
  it('writes JSON text, a newline and a base64 64-byte signature, with the signing public key as signatureKey', () => {
    const file = signOppf(content, signingKey);
    const [json, signature] = splitFile(file);
    const document = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(document).slice(0, 2)).toEqual(['version', 'signatureKey']);
    expect(document.signatureKey).toBe(Buffer.from(signingKey.publicKey).toString('base64'));
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
  });

  it('round-trips through parseOppf with the signing key trusted', () => {
    const document = parseOppf(signOppf(content, signingKey), [otherKey.publicKey, signingKey.publicKey]);
    expect(document).toEqual({
      ...content,
      signatureKey: Buffer.from(signingKey.publicKey).toString('base64'),
    });
  });

  it('accepts the file as UTF-8 bytes and with trailing newlines', () => {
    const file = `${signOppf(content, signingKey)}\n\n`;
    expect(parseOppf(Buffer.from(file, 'utf8'), [signingKey.publicKey]).chat.ports).toEqual([5222, 443]);
  });

  it('keeps blob optional and drops sections it does not model', () => {
    const { blob: _blob, ...withoutBlob } = content;
    const json = JSON.stringify({
      ...withoutBlob,
      signatureKey: Buffer.from(signingKey.publicKey).toString('base64'),
      safe: { url: 'https://safe.ots.example/' },
    });
    const document = parseOppf(signRaw(json), [signingKey.publicKey]);
    expect(document.blob).toBeUndefined();
    expect('safe' in document).toBe(false);
  });

  it('fails with INVALID_SIGNATURE when the JSON text was tampered with', () => {
    const [json, signature] = splitFile(signOppf(content, signingKey));
    const tampered = `${json.replace('chat.ots.example', 'evil.ots.example')}\n${signature}`;
    expect(protocolErrorCodeOf(() => parseOppf(tampered, [signingKey.publicKey]))).toBe(
      ProtocolErrorCode.INVALID_SIGNATURE,
    );
  });

  it('fails with INVALID_SIGNATURE even for whitespace-only changes, since the exact text is signed', () => {
    const [json, signature] = splitFile(signOppf(content, signingKey));
    expect(protocolErrorCodeOf(() => parseOppf(`${json} \n${signature}`, [signingKey.publicKey]))).toBe(
      ProtocolErrorCode.INVALID_SIGNATURE,
    );
  });

  it('fails with UNTRUSTED_SIGNATURE_KEY when verified against another key', () => {
    expect(protocolErrorCodeOf(() => parseOppf(signOppf(content, signingKey), [otherKey.publicKey]))).toBe(
      ProtocolErrorCode.UNTRUSTED_SIGNATURE_KEY,
    );
    expect(protocolErrorCodeOf(() => parseOppf(signOppf(content, signingKey), []))).toBe(
      ProtocolErrorCode.UNTRUSTED_SIGNATURE_KEY,
    );
  });

  it('fails with INVALID_SIGNATURE when a trusted signatureKey is claimed but another key signed', () => {
    const json = JSON.stringify({
      ...content,
      signatureKey: Buffer.from(signingKey.publicKey).toString('base64'),
    });
    expect(protocolErrorCodeOf(() => parseOppf(signRaw(json, otherKey), [signingKey.publicKey]))).toBe(
      ProtocolErrorCode.INVALID_SIGNATURE,
    );
  });

  it.each<[string, string]>([
    ['no newline', '{"version":"1.0"}'],
    ['a signature that is not base64', '{"version":"1.0"}\nnot*base64!'],
    ['a signature of the wrong length', `{"version":"1.0"}\n${Buffer.alloc(63).toString('base64')}`],
    ['JSON that does not parse', `{"version":\n${Buffer.alloc(64).toString('base64')}`],
  ])('fails with MALFORMED for %s', (_name, file) => {
    expect(protocolErrorCodeOf(() => parseOppf(file, [signingKey.publicKey]))).toBe(
      ProtocolErrorCode.MALFORMED,
    );
  });

  it('fails with MALFORMED for bytes that are not UTF-8', () => {
    expect(
      protocolErrorCodeOf(() => parseOppf(Uint8Array.of(0xff, 0x0a, 0x41), [signingKey.publicKey])),
    ).toBe(ProtocolErrorCode.MALFORMED);
  });

  it('fails with INVALID_FIELD when a correctly signed file has invalid fields', () => {
    const json = JSON.stringify({
      ...content,
      signatureKey: Buffer.from(signingKey.publicKey).toString('base64'),
      refresh: 60,
    });
    expect(protocolErrorCodeOf(() => parseOppf(signRaw(json), [signingKey.publicKey]))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
  });

  it('fails with INVALID_FIELD when signatureKey is missing', () => {
    expect(
      protocolErrorCodeOf(() => parseOppf(signRaw(JSON.stringify(content)), [signingKey.publicKey])),
    ).toBe(ProtocolErrorCode.INVALID_FIELD);
  });

  it.each<[string, OppfContent]>([
    ['a refresh below 1800 s', { ...content, refresh: 1799 }],
    ['a version other than 1.0', { ...content, version: '1.1' as '1.0' }],
    [
      'a chat public key of 31 bytes',
      { ...content, chat: { ...content.chat, publicKey: Buffer.alloc(31).toString('base64') } },
    ],
    ['no chat ports', { ...content, chat: { ...content.chat, ports: [] } }],
    ['port 0', { ...content, chat: { ...content.chat, ports: [0] } }],
    [
      'a directory URL without trailing slash',
      { ...content, directory: { url: 'https://directory.ots.example' } },
    ],
    ['a plain-http directory URL', { ...content, directory: { url: 'http://directory.ots.example/' } }],
    ['an impossible expiry date', { ...content, license: { ...content.license, expires: '2030-02-30' } }],
    ['a zero license count', { ...content, license: { ...content.license, count: 0 } }],
  ])('refuses to sign content with %s (INVALID_FIELD)', (_name, invalid) => {
    expect(protocolErrorCodeOf(() => signOppf(invalid, signingKey))).toBe(ProtocolErrorCode.INVALID_FIELD);
  });
});

describe('OPPF URLs', () => {
  const signing = generateEd25519KeyPair();
  const withDirectory = (url: string) => ({ ...content, directory: { url } });

  it('allows plain http only to a loopback address (the local development system)', () => {
    expect(() => signOppf(withDirectory('http://127.0.0.1:8080/'), signing)).not.toThrow();
    expect(() => signOppf(withDirectory('http://localhost:8080/'), signing)).not.toThrow();
    expect(() => signOppf(withDirectory('http://directory.ots.example/'), signing)).toThrow(ProtocolError);
    expect(() => signOppf(withDirectory('http://127.0.0.1.evil.example/'), signing)).toThrow(ProtocolError);
  });
});

describe('OPPF system identities (our extension, docs/adr/0014-client-provisioning.md)', () => {
  const signing = generateEd25519KeyPair();
  const my3data = { identity: '*MY3DATA', publicKey: Buffer.alloc(32, 0x07).toString('base64') };

  it('round-trips the pinned public keys of system identities', () => {
    const file = signOppf({ ...content, systemIdentities: [my3data] }, signing);
    expect(parseOppf(file, [signing.publicKey]).systemIdentities).toEqual([my3data]);
    expect(parseOppf(signOppf(content, signing), [signing.publicKey]).systemIdentities).toBeUndefined();
  });

  it.each([
    ['an ordinary identity', [{ ...my3data, identity: 'ECHOECHO' }]],
    ['a lower-case identity', [{ ...my3data, identity: '*my3data' }]],
    ['a short public key', [{ ...my3data, publicKey: Buffer.alloc(31).toString('base64') }]],
    ['a duplicate identity', [my3data, my3data]],
  ])('refuses %s with INVALID_FIELD', (_case, systemIdentities) => {
    expect(protocolErrorCodeOf(() => signOppf({ ...content, systemIdentities }, signing))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
  });
});
