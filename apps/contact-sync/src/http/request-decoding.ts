import { z } from 'zod';

import { ContactSyncError, ContactSyncErrorCode } from '../domain/contact-sync-error';

// Validation of the spec §4.3 bodies. Failures name the field and the expected shape, never the value.

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** parsing cap far above any configured per-request limit; the use case enforces the configured one (413) */
export const HASH_LIST_PARSE_CAP = 100_000;

const base64Bytes = (bytes: { exact?: number; max?: number }) =>
  z
    .string({ invalid_type_error: 'must be a base64 string', required_error: 'is required' })
    .max(Math.ceil((bytes.exact ?? bytes.max ?? 64) / 3) * 4, 'is too long')
    .regex(BASE64, 'must be standard base64')
    .transform((value) => new Uint8Array(Buffer.from(value, 'base64')))
    .refine((value) => bytes.exact === undefined || value.length === bytes.exact, {
      message: `must be ${bytes.exact ?? 0} bytes`,
    });

const identity = z
  .string({ invalid_type_error: 'must be a string', required_error: 'is required' })
  .regex(/^[0-9A-Z*][0-9A-Z]{7}$/, 'must be an 8-character identity');

const matchTokenBody = z.object({
  identity,
  token: base64Bytes({ max: 64 }).optional(),
  response: base64Bytes({ max: 64 }).optional(),
});

const matchBody = z.object({
  matchToken: z.string({ invalid_type_error: 'must be a string' }).max(128, 'is too long').optional(),
  // checked by decodeHashList: a schema per element costs more than the match itself (docs/adr/0025)
  emailHashes: z.unknown(),
  mobileNoHashes: z.unknown(),
  includeInactive: z.boolean({ invalid_type_error: 'must be a boolean' }).optional(),
});

const HASH_BYTES = 32;
const BASE64_ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  BASE64_ALPHABET[c.charCodeAt(0)] = 1;

/** A 32-byte hash in standard base64: 43 alphabet characters and one '=' (a loop: cheaper than a RegExp here). */
function isHashBase64(value: string): boolean {
  if (value.length !== 44 || value.charCodeAt(43) !== 0x3d) return false;
  for (let i = 0; i < 43; i++) {
    const c = value.charCodeAt(i);
    if (c > 127 || BASE64_ALPHABET[c] === 0) return false;
  }
  return true;
}

/**
 * A list of spec §4.4 hashes, each 32 bytes in standard base64 (absent = empty), decoded into one buffer per list
 * with a view per hash: no backing store per hash for the garbage collector.
 */
function decodeHashList(value: unknown, field: string): Uint8Array[] {
  const invalid = (problem: string) =>
    new ContactSyncError(ContactSyncErrorCode.InvalidRequest, `${field} ${problem}`);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('must be an array of base64 strings');
  if (value.length > HASH_LIST_PARSE_CAP) throw invalid(`must have at most ${HASH_LIST_PARSE_CAP} entries`);
  const hashes = new Array<Uint8Array>(value.length);
  // every slot is written below (each item is validated to decode to exactly 32 bytes)
  const packed = Buffer.allocUnsafe(value.length * HASH_BYTES);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string') throw invalid('must be a base64 string');
    if (!isHashBase64(item)) {
      if (item.length > 44) throw invalid('is too long');
      throw invalid(BASE64.test(item) ? 'must be 32 bytes' : 'must be standard base64');
    }
    const at = i * HASH_BYTES;
    if (packed.write(item, at, HASH_BYTES, 'base64') !== HASH_BYTES) throw invalid('must be 32 bytes');
    hashes[i] = new Uint8Array(packed.buffer, packed.byteOffset + at, HASH_BYTES);
  }
  return hashes;
}

function decode<T extends z.ZodTypeAny>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data as z.output<T>;
  const issue = parsed.error.issues.at(0);
  const field = (issue?.path ?? []).filter((part) => typeof part === 'string').join('.');
  throw new ContactSyncError(
    ContactSyncErrorCode.InvalidRequest,
    `${field === '' ? 'body' : field} ${issue?.message ?? 'is invalid'}`,
  );
}

export const decodeMatchToken = (body: unknown) => decode(matchTokenBody, body ?? {});
export function decodeMatch(body: unknown) {
  const decoded = decode(matchBody, body ?? {});
  return {
    matchToken: decoded.matchToken,
    emailHashes: decodeHashList(decoded.emailHashes, 'emailHashes'),
    mobileNoHashes: decodeHashList(decoded.mobileNoHashes, 'mobileNoHashes'),
    includeInactive: decoded.includeInactive ?? false,
  };
}
