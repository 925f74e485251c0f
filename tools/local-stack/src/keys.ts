import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

import type { DataLayout } from './layout';

export interface LocalKeys {
  /** the chat server's permanent X25519 public key (spec §1.2 SK), base64 */
  readonly cspPublicKeyBase64: string;
  /** Ed25519 key that signs the OnPrem provisioning file (spec §9.4) */
  readonly oppfSigningKey: KeyObject;
  readonly oppfSignaturePublicKeyBase64: string;
}

// PKCS#8 DER prefixes for raw 32-byte X25519 / Ed25519 private keys (RFC 8410)
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function rawPrivate(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (!jwk.d) throw new Error('expected a private key');
  return Buffer.from(jwk.d, 'base64url');
}

function rawPublic(key: KeyObject): Buffer {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  if (!jwk.x) throw new Error('expected an OKP key');
  return Buffer.from(jwk.x, 'base64url');
}

/** Reads a 64-hex-character key file, or creates one (mode 0600) on first start. */
function loadOrCreate(path: string, kind: 'x25519' | 'ed25519'): KeyObject {
  const prefix = kind === 'x25519' ? X25519_PKCS8_PREFIX : ED25519_PKCS8_PREFIX;
  if (existsSync(path)) {
    const hex = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${path} must hold 32 bytes as 64 hex characters`);
    return createPrivateKey({ key: Buffer.concat([prefix, Buffer.from(hex, 'hex')]), format: 'der', type: 'pkcs8' });
  }
  const { privateKey } = kind === 'x25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('ed25519');
  writeFileSync(path, `${rawPrivate(privateKey).toString('hex')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return privateKey;
}

/**
 * The deployment's permanent keys: generated into the git-ignored data folder on first start and reused after,
 * so clients that pinned the server key keep working across restarts (docs/adr/0004-key-provisioning.md).
 */
export function ensureKeys(layout: DataLayout): LocalKeys {
  mkdirSync(layout.keys, { recursive: true, mode: 0o700 });
  const csp = loadOrCreate(layout.cspSecretKeyFile, 'x25519');
  const signing = loadOrCreate(layout.oppfSigningKeyFile, 'ed25519');
  return {
    cspPublicKeyBase64: rawPublic(csp).toString('base64'),
    oppfSigningKey: signing,
    oppfSignaturePublicKeyBase64: rawPublic(signing).toString('base64'),
  };
}
