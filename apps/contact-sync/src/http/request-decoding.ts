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

const hashList = z
  .array(base64Bytes({ exact: 32 }), { invalid_type_error: 'must be an array of base64 strings' })
  .max(HASH_LIST_PARSE_CAP, `must have at most ${HASH_LIST_PARSE_CAP} entries`)
  .optional()
  .transform((list) => list ?? []);

const matchTokenBody = z.object({
  identity,
  token: base64Bytes({ max: 64 }).optional(),
  response: base64Bytes({ max: 64 }).optional(),
});

const matchBody = z.object({
  matchToken: z.string({ invalid_type_error: 'must be a string' }).max(128, 'is too long').optional(),
  emailHashes: hashList,
  mobileNoHashes: hashList,
  includeInactive: z.boolean({ invalid_type_error: 'must be a boolean' }).optional(),
});

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
  return { ...decoded, includeInactive: decoded.includeInactive ?? false };
}
