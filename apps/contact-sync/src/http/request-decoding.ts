import { z } from 'zod';

import { ContactSyncError, ContactSyncErrorCode } from '../domain/contact-sync-error';
import { type MatchBodyBytes, scanMatchBody } from './match-body';
import type { HashListScratch, MatchScratch } from './match-scratch';

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
/** standard base64 alphabet → 6-bit value; -1 for every other code below 128 */
const BASE64_VALUE = new Int8Array(128).fill(-1);
Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/').forEach((c, value) => {
  BASE64_VALUE[c.charCodeAt(0)] = value;
});

const sextet = (value: string, at: number): number => {
  const c = value.charCodeAt(at);
  return c < 128 ? BASE64_VALUE[c] : -1;
};

/**
 * Decodes a 32-byte hash in standard base64 (43 alphabet characters and one '=') into out[at … at + 32); false
 * when it is not one. The two unused bits of the last character are ignored, as Buffer.from(…, 'base64') does.
 * A loop: cheaper than a RegExp and a Buffer per hash. On false, out[at …] may hold part of the value: the
 * caller's scratch overwrites it (MatchScratch.clear).
 */
function decodeHashBase64(value: string, out: Uint8Array, at: number): boolean {
  if (value.length !== 44 || value.charCodeAt(43) !== 0x3d) return false;
  let to = at;
  for (let from = 0; from < 40; from += 4) {
    const a = sextet(value, from);
    const b = sextet(value, from + 1);
    const c = sextet(value, from + 2);
    const d = sextet(value, from + 3);
    if ((a | b | c | d) < 0) return false;
    out[to++] = (a << 2) | (b >> 4);
    out[to++] = ((b & 15) << 4) | (c >> 2);
    out[to++] = ((c & 3) << 6) | d;
  }
  const a = sextet(value, 40);
  const b = sextet(value, 41);
  const c = sextet(value, 42);
  if ((a | b | c) < 0) return false;
  out[to++] = (a << 2) | (b >> 4);
  out[to] = ((b & 15) << 4) | (c >> 2);
  return true;
}

/**
 * A list of spec §4.4 hashes, each 32 bytes in standard base64 (absent = empty), decoded into the request's
 * scratch list: no Buffer, view or object per hash.
 */
function decodeHashList(value: unknown, field: string, into: HashListScratch): HashListScratch {
  const invalid = (problem: string) =>
    new ContactSyncError(ContactSyncErrorCode.InvalidRequest, `${field} ${problem}`);
  if (value === undefined) {
    into.reset(0);
    return into;
  }
  if (!Array.isArray(value)) throw invalid('must be an array of base64 strings');
  if (value.length > HASH_LIST_PARSE_CAP) throw invalid(`must have at most ${HASH_LIST_PARSE_CAP} entries`);
  into.reset(value.length);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string') throw invalid('must be a base64 string');
    if (!decodeHashBase64(item, into.bytes, i * HASH_BYTES)) {
      if (item.length > 44) throw invalid('is too long');
      throw invalid(BASE64.test(item) ? 'must be 32 bytes' : 'must be standard base64');
    }
    into.added();
  }
  return into;
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
/** An identity/match body, its hash lists decoded into `scratch` (the caller clears it after the request). */
export function decodeMatch(body: unknown, scratch: MatchScratch) {
  const decoded = decode(matchBody, body ?? {});
  return {
    matchToken: decoded.matchToken,
    emailHashes: decodeHashList(decoded.emailHashes, 'emailHashes', scratch.emailHashes),
    mobileNoHashes: decodeHashList(decoded.mobileNoHashes, 'mobileNoHashes', scratch.mobileNoHashes),
    includeInactive: decoded.includeInactive ?? false,
  };
}

/**
 * An identity/match body the content-type parser found to be the common case (match-body.ts): its hashes
 * decoded from the bytes into `scratch`. The token and includeInactive were checked by that scan as the
 * generic path would check them.
 */
export function decodeMatchBytes(body: MatchBodyBytes, scratch: MatchScratch) {
  const scanned = scanMatchBody(body.bytes, scratch, body.scanned);
  // the parser scanned these very bytes before: a different answer now is a bug, not bad input
  if (scanned === undefined) throw new Error('a match body scanned differently the second time');
  return {
    matchToken: scanned.matchToken,
    emailHashes: scratch.emailHashes,
    mobileNoHashes: scratch.mobileNoHashes,
    includeInactive: scanned.includeInactive ?? false,
  };
}
