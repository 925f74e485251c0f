import { ED25519_PUBLIC_KEY_LENGTH, X25519_PUBLIC_KEY_LENGTH } from '@ots/crypto';
import { z } from 'zod';

import { decodeBase64Strict } from '../codec/base64';

// spec §9.4 / SPEC oppf.schema.yml: the OnPrem provisioning fields our services and clients use.
// Other sections (work, avatar, safe, web, mediator, domains, …) are not modelled and are dropped on parse.

export const OPPF_VERSION = '1.0';
export const OPPF_MIN_REFRESH_SECONDS = 1800;

export interface OppfLicense {
  readonly id: string;
  /** ISO date (YYYY-MM-DD) after which clients should reject the file. */
  readonly expires: string;
  /** Maximum number of active Threema IDs. */
  readonly count: number;
}

export interface OppfChatServer {
  /** May contain the placeholder {serverGroupPrefix8}. */
  readonly hostname: string;
  /** Base64 of the server's permanent X25519 public key SK (clients pin it, spec §1.1). */
  readonly publicKey: string;
  readonly ports: readonly number[];
}

export interface OppfDirectoryServer {
  /** https base URL ending with "/". */
  readonly url: string;
}

export interface OppfBlobServer {
  readonly uploadUrl: string;
  /** May contain {blobId} and {blobIdPrefix}. */
  readonly downloadUrl: string;
  readonly doneUrl: string;
}

/**
 * Our extension (not in SPEC oppf.schema.yml; docs/adr/0014-client-provisioning.md): the deployment's own key pairs
 * of system identities such as `*MY3DATA`, which clients pin instead of Threema's keys (spec §3 predefined contacts).
 */
export interface OppfSystemIdentity {
  /** A `*` identity, e.g. `*MY3DATA`. */
  readonly identity: string;
  /** Base64 of its X25519 public key. */
  readonly publicKey: string;
}

export interface OppfDocument {
  readonly version: typeof OPPF_VERSION;
  /** Base64 of the Ed25519 public key that signed the file. */
  readonly signatureKey: string;
  /** Seconds until clients fetch the file again, at least 1800. */
  readonly refresh: number;
  readonly license: OppfLicense;
  readonly chat: OppfChatServer;
  readonly directory: OppfDirectoryServer;
  readonly blob?: OppfBlobServer;
  readonly systemIdentities?: readonly OppfSystemIdentity[];
}

/** What a caller provides to sign: the signature key is filled in from the signing key pair. */
export type OppfContent = Omit<OppfDocument, 'signatureKey'>;

function base64Key(length: number) {
  return z.string().refine((value) => decodeBase64Strict(value)?.length === length, {
    message: `must be base64 of ${length} bytes`,
  });
}

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

// https everywhere, except plain http to a loopback address for the one-machine development system (npm start)
const LOOPBACK_HTTP = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?\/[^\s?#]*$/;
const httpsUrl = z.string().refine((url) => /^https:\/\/[^\s?#]+$/.test(url) || LOOPBACK_HTTP.test(url), {
  message: 'must be an https URL (or http to a loopback address) without query or fragment',
});

export const oppfDocumentSchema: z.ZodType<OppfDocument, z.ZodTypeDef, unknown> = z.object({
  version: z.literal(OPPF_VERSION),
  signatureKey: base64Key(ED25519_PUBLIC_KEY_LENGTH),
  refresh: z.number().int().min(OPPF_MIN_REFRESH_SECONDS).max(0xffff_ffff),
  license: z.object({
    id: z.string().min(1),
    expires: z.string().refine(isIsoDate, { message: 'must be an ISO date YYYY-MM-DD' }),
    count: z.number().int().positive(),
  }),
  chat: z.object({
    hostname: z.string().min(1),
    publicKey: base64Key(X25519_PUBLIC_KEY_LENGTH),
    ports: z.array(z.number().int().min(1).max(65535)).min(1),
  }),
  directory: z.object({ url: httpsUrl.refine((url) => url.endsWith('/'), { message: 'must end with "/"' }) }),
  blob: z.object({ uploadUrl: httpsUrl, downloadUrl: httpsUrl, doneUrl: httpsUrl }).optional(),
  systemIdentities: z
    .array(
      z.object({
        identity: z.string().regex(/^\*[0-9A-Z]{7}$/, 'must be a system identity ("*" and 7 of [0-9A-Z])'),
        publicKey: base64Key(X25519_PUBLIC_KEY_LENGTH),
      }),
    )
    .refine((list) => new Set(list.map((entry) => entry.identity)).size === list.length, {
      message: 'must not list an identity twice',
    })
    .optional(),
});

/** Formats zod issues as "path: message" lines, naming fields but never echoing their values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
