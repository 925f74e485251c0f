import { DirectoryError, DirectoryErrorCode } from '../directory-error';

/** A deployment's own identity (e.g. `*MY3DATA`): a `*` ID that identity/create can never hand out. */
export interface SystemIdentity {
  readonly id: string;
  /** X25519 public key, 32 bytes */
  readonly publicKey: Uint8Array;
}

const SYSTEM_ID_PATTERN = /^\*[0-9A-Z]{7}$/;

/**
 * Parses DIRECTORY_SYSTEM_IDENTITIES: comma-separated `<*ID>:<base64 X25519 public key>` entries. Errors say what is
 * wrong, never the value itself.
 */
export function parseSystemIdentities(value: string): SystemIdentity[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const separator = entry.indexOf(':');
    const position = `entry ${String(index + 1)}`;
    if (separator < 0) throw new Error(`${position} must be <*ID>:<base64 public key>`);
    const id = entry.slice(0, separator);
    const keyText = entry.slice(separator + 1);
    if (!SYSTEM_ID_PATTERN.test(id)) throw new Error(`${position}: the ID must be * and 7 of [0-9A-Z]`);
    if (seen.has(id)) throw new Error(`${position}: the ID is listed twice`);
    seen.add(id);
    if (!/^[A-Za-z0-9+/]{43}=$/.test(keyText))
      throw new Error(`${position}: the key must be base64 of 32 bytes`);
    return { id, publicKey: new Uint8Array(Buffer.from(keyText, 'base64')) };
  });
}

export interface SystemIdentityStore {
  /** Creates the identity (active, regular) or sets its public key when it exists; true when anything changed. */
  upsertSystemIdentity(identity: SystemIdentity, serverGroup: string): Promise<boolean>;
}

/**
 * Registers the configured system identities at directory start (docs/adr/0018-system-identities.md). The key in
 * the configuration wins: a rotated key replaces the stored one. Only `*` IDs are accepted here, and the public
 * identity/create can never produce one, so ordinary identities and system identities never collide.
 */
export class RegisterSystemIdentitiesUseCase {
  constructor(
    private readonly store: SystemIdentityStore,
    private readonly serverGroup: string,
  ) {}

  async execute(identities: readonly SystemIdentity[]): Promise<number> {
    let changed = 0;
    for (const identity of identities) {
      if (!SYSTEM_ID_PATTERN.test(identity.id) || identity.publicKey.length !== 32) {
        throw new DirectoryError(DirectoryErrorCode.InvalidRequest, 'not a system identity');
      }
      if (await this.store.upsertSystemIdentity(identity, this.serverGroup)) changed += 1;
    }
    return changed;
  }
}
