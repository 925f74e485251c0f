import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inspect } from 'node:util';

import { x25519PublicKeyFromSecret } from '@ots/crypto';
import { isThreemaId } from '@ots/protocol';
import { z } from 'zod';

/** Why a local profile could not be read or written. Messages name the file, never its content. */
export enum ProfileErrorCode {
  NOT_FOUND = 'NOT_FOUND',
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  /** Group or others may read the file: it holds a secret key (like ssh, we refuse it). */
  INSECURE_PERMISSIONS = 'INSECURE_PERMISSIONS',
  INVALID = 'INVALID',
  UNREADABLE = 'UNREADABLE',
}

export class ProfileError extends Error {
  constructor(
    readonly code: ProfileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProfileError';
  }
}

const PROFILE_VERSION = 1;

const profileSchema = z.object({
  version: z.literal(PROFILE_VERSION),
  identity: z.string().refine(isThreemaId, 'must be a Threema ID'),
  serverGroup: z.string().regex(/^[0-9a-zA-Z]+$/, 'must be alphanumeric'),
  publicKey: z.string(),
  secretKey: z.string(),
  createdAt: z.string().optional(),
});

function fromBase64(value: string, field: string): Uint8Array {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 32 || bytes.toString('base64') !== value) {
    throw new ProfileError(ProfileErrorCode.INVALID, `profile ${field} must be base64 of 32 bytes`);
  }
  return new Uint8Array(bytes);
}

/**
 * A local identity: ID, key pair and server group. The secret key lives in a private field, so console.log,
 * util.inspect and JSON.stringify of a profile never show it; only saveProfile writes it (to a 0600 file).
 */
export class IdentityProfile {
  readonly #secretKey: Uint8Array;

  constructor(
    readonly identity: string,
    secretKey: Uint8Array,
    readonly serverGroup: string,
    readonly publicKey: Uint8Array = x25519PublicKeyFromSecret(secretKey),
  ) {
    this.#secretKey = secretKey;
  }

  get secretKey(): Uint8Array {
    return this.#secretKey;
  }

  toJSON(): { identity: string; serverGroup: string; publicKey: string } {
    return {
      identity: this.identity,
      serverGroup: this.serverGroup,
      publicKey: Buffer.from(this.publicKey).toString('base64'),
    };
  }

  [inspect.custom](): string {
    return `IdentityProfile { identity: '${this.identity}', serverGroup: '${this.serverGroup}' }`;
  }
}

/** Writes the profile as JSON with mode 0600 (atomically: a temporary file renamed into place). */
export function saveProfile(
  path: string,
  profile: IdentityProfile,
  options: { overwrite?: boolean } = {},
): void {
  if (!options.overwrite && existsSync(path)) {
    throw new ProfileError(ProfileErrorCode.ALREADY_EXISTS, `profile ${path} exists already`);
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const json = {
    version: PROFILE_VERSION,
    identity: profile.identity,
    serverGroup: profile.serverGroup,
    publicKey: Buffer.from(profile.publicKey).toString('base64'),
    secretKey: Buffer.from(profile.secretKey).toString('base64'),
    createdAt: new Date().toISOString(),
  };
  const temporary = `${path}.${String(process.pid)}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

export function loadProfile(path: string): IdentityProfile {
  let text: string;
  try {
    if ((statSync(path).mode & 0o077) !== 0) {
      throw new ProfileError(
        ProfileErrorCode.INSECURE_PERMISSIONS,
        `profile ${path} is accessible by group or others; run: chmod 600 ${path}`,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof ProfileError) throw error;
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (code === 'ENOENT') throw new ProfileError(ProfileErrorCode.NOT_FOUND, `no profile at ${path}`);
    throw new ProfileError(
      ProfileErrorCode.UNREADABLE,
      `cannot read profile ${path} (${code || 'unreadable'})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProfileError(ProfileErrorCode.INVALID, `profile ${path} is not JSON`);
  }
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProfileError(
      ProfileErrorCode.INVALID,
      `profile ${path}: ${issue.path.join('.')} ${issue.message}`,
    );
  }
  const secretKey = fromBase64(parsed.data.secretKey, 'secretKey');
  const publicKey = fromBase64(parsed.data.publicKey, 'publicKey');
  if (!Buffer.from(x25519PublicKeyFromSecret(secretKey)).equals(publicKey)) {
    throw new ProfileError(
      ProfileErrorCode.INVALID,
      `profile ${path}: publicKey does not belong to secretKey`,
    );
  }
  return new IdentityProfile(parsed.data.identity, secretKey, parsed.data.serverGroup, publicKey);
}
