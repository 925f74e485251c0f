import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';

import {
  type Ed25519KeyPair,
  generateEd25519KeyPair,
  randomBytes,
  x25519PublicKeyFromSecret,
} from '@ots/crypto';

import type { DataLayout } from './layout';

export interface LocalKeys {
  /** the chat server's permanent X25519 public key (spec §1.2 SK), base64 */
  readonly cspPublicKeyBase64: string;
  /** Ed25519 key pair that signs the OnPrem provisioning file (spec §9.4) */
  readonly oppfSigningKey: Ed25519KeyPair;
  /** the `*MY3DATA` system identity's X25519 public key, base64 (registered in the directory, pinned in the OPPF) */
  readonly my3dataPublicKeyBase64: string;
}

/** Reads 32 bytes kept as 64 hex characters, or creates them (file mode 0600) on first start. */
function loadOrCreateSecret(path: string): Uint8Array {
  if (existsSync(path)) {
    const hex = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${path} must hold 32 bytes as 64 hex characters`);
    return new Uint8Array(Buffer.from(hex, 'hex'));
  }
  const secret = randomBytes(32);
  writeFileSync(path, `${Buffer.from(secret).toString('hex')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return secret;
}

/**
 * The deployment's permanent keys: generated into the git-ignored data folder on first start and reused after,
 * so clients that pinned the server key keep working across restarts (docs/adr/0004-key-provisioning.md).
 */
export function ensureKeys(layout: DataLayout): LocalKeys {
  // the data folder stays traversable (embedded PostgreSQL runs as the postgres user); only keys/ is private
  mkdirSync(layout.root, { recursive: true, mode: 0o755 });
  if ((statSync(layout.root).mode & 0o005) !== 0o005) chmodSync(layout.root, 0o755);
  mkdirSync(layout.keys, { recursive: true, mode: 0o700 });
  const cspSecret = loadOrCreateSecret(layout.cspSecretKeyFile);
  const signingSeed = loadOrCreateSecret(layout.oppfSigningKeyFile);
  const my3dataSecret = loadOrCreateSecret(layout.my3dataSecretKeyFile);
  return {
    cspPublicKeyBase64: Buffer.from(x25519PublicKeyFromSecret(cspSecret)).toString('base64'),
    oppfSigningKey: generateEd25519KeyPair(signingSeed),
    my3dataPublicKeyBase64: Buffer.from(x25519PublicKeyFromSecret(my3dataSecret)).toString('base64'),
  };
}
