import { readFileSync } from 'node:fs';

import { type OppfDocument, parseOppf, ProtocolError, ProtocolErrorCode } from '@ots/protocol';

import { ProvisioningError, ProvisioningErrorCode } from './provisioning-error';

/** What a client needs from the deployment's provisioning file (spec §9.4). */
export interface ClientProvisioning {
  readonly chat: {
    /** May contain `{serverGroupPrefix8}`; see chatServerHost. */
    readonly hostname: string;
    /** Tried in order (spec §1.1). */
    readonly ports: readonly number[];
    /** The chat server's permanent public key SK, pinned (spec §1.1). */
    readonly publicKey: Uint8Array;
  };
  /** Ends with "/". */
  readonly directoryUrl: string;
  /** Pinned public keys of the deployment's system identities (e.g. `*MY3DATA`), when the file lists them. */
  readonly systemIdentities: ReadonlyMap<string, Uint8Array>;
  /** ISO date after which the file must not be used. */
  readonly expires: string;
}

const ED25519_PUBLIC_KEY_LENGTH = 32;

function fromBase64(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function toProvisioning(document: OppfDocument): ClientProvisioning {
  return {
    chat: {
      hostname: document.chat.hostname,
      ports: document.chat.ports,
      publicKey: fromBase64(document.chat.publicKey),
    },
    directoryUrl: document.directory.url,
    systemIdentities: new Map(
      (document.systemIdentities ?? []).map((entry) => [entry.identity, fromBase64(entry.publicKey)]),
    ),
    expires: document.license.expires,
  };
}

const CODE_BY_PROTOCOL_ERROR: Partial<Record<ProtocolErrorCode, ProvisioningErrorCode>> = {
  [ProtocolErrorCode.UNTRUSTED_SIGNATURE_KEY]: ProvisioningErrorCode.UNTRUSTED,
  [ProtocolErrorCode.INVALID_SIGNATURE]: ProvisioningErrorCode.UNTRUSTED,
};

/**
 * Verifies the OPPF against the pinned signing keys (spec §9.4, via parseOppf) and rejects an expired one.
 * `now` is for tests.
 */
export function parseClientProvisioning(
  file: string | Uint8Array,
  trustedSigningKeys: readonly Uint8Array[],
  now: Date = new Date(),
): ClientProvisioning {
  let document: OppfDocument;
  try {
    document = parseOppf(file, trustedSigningKeys);
  } catch (error) {
    if (error instanceof ProtocolError) {
      throw new ProvisioningError(
        CODE_BY_PROTOCOL_ERROR[error.code] ?? ProvisioningErrorCode.INVALID,
        error.message,
      );
    }
    throw error;
  }
  // valid through the whole expiry day (UTC)
  if (now.getTime() >= Date.parse(`${document.license.expires}T00:00:00Z`) + 24 * 3600 * 1000) {
    throw new ProvisioningError(
      ProvisioningErrorCode.EXPIRED,
      `the provisioning file expired on ${document.license.expires}`,
    );
  }
  return toProvisioning(document);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
    throw new ProvisioningError(
      ProvisioningErrorCode.UNREADABLE,
      `cannot read the ${what} ${path} (${reason})`,
    );
  }
}

/** The pinned OPPF signing key: base64 of the 32-byte Ed25519 public key, as `npm start` writes it. */
export function parseTrustedKey(text: string): Uint8Array {
  const trimmed = text.trim();
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== ED25519_PUBLIC_KEY_LENGTH || bytes.toString('base64') !== trimmed) {
    throw new ProvisioningError(
      ProvisioningErrorCode.INVALID_TRUSTED_KEY,
      `the pinned OPPF key must be base64 of a ${ED25519_PUBLIC_KEY_LENGTH}-byte Ed25519 public key`,
    );
  }
  return new Uint8Array(bytes);
}

export function readTrustedKeyFile(path: string): Uint8Array {
  return parseTrustedKey(readText(path, 'pinned OPPF key file'));
}

export function loadClientProvisioning(
  path: string,
  trustedSigningKeys: readonly Uint8Array[],
): ClientProvisioning {
  return parseClientProvisioning(readText(path, 'provisioning file'), trustedSigningKeys);
}

/** The chat server host for an identity's server group (OPPF hostnames may contain `{serverGroupPrefix8}`). */
export function chatServerHost(provisioning: ClientProvisioning, serverGroup: string): string {
  return provisioning.chat.hostname.replaceAll('{serverGroupPrefix8}', serverGroup.toLowerCase());
}
