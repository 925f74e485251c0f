import { z } from 'zod';

import { DirectoryError, DirectoryErrorCode } from '../domain/directory-error';
import type { ChallengeAnswer } from '../domain/signed-request';

// Validation of the JSON bodies of spec §4.3. Failures name the field and the expected shape, never the value.

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_IDENTITY_FIELD_LENGTH = 16;

/** Standard base64 (spec §4.1), decoded; the schema checks the alphabet and padding so nothing is skipped. */
const base64Bytes = (maxBytes: number) =>
  z
    .string({ invalid_type_error: 'must be a base64 string', required_error: 'is required' })
    .max(Math.ceil(maxBytes / 3) * 4, `must be at most ${maxBytes} bytes`)
    .regex(BASE64, 'must be standard base64')
    .transform((value) => new Uint8Array(Buffer.from(value, 'base64')));

const identityString = () =>
  z
    .string({ invalid_type_error: 'must be a string', required_error: 'is required' })
    .max(MAX_IDENTITY_FIELD_LENGTH, `must be at most ${MAX_IDENTITY_FIELD_LENGTH} characters`);

// the per-request limit is the use case's; this cap only keeps parsing cheap beyond it
const identityList = z.object({
  identities: z.array(identityString(), {
    invalid_type_error: 'must be an array of strings',
    required_error: 'is required',
  }),
});

const challengeFields = {
  token: base64Bytes(64).optional(),
  response: base64Bytes(64).optional(),
};

const createIdentity = z.object({ publicKey: base64Bytes(64), ...challengeFields });

const setFeatureMask = z.object({
  identity: identityString(),
  featureMask: z
    .number({ invalid_type_error: 'must be a number', required_error: 'is required' })
    .int('must be an integer')
    .min(0, 'must not be negative')
    .max(Number.MAX_SAFE_INTEGER, 'is too large'),
  ...challengeFields,
});

const signedByIdentity = z.object({ identity: identityString(), ...challengeFields });

// iOS adds `lang` to identity/revoke (spec §4.3); it is accepted and ignored
const revoke = signedByIdentity.extend({ lang: z.string().max(16).optional() });

const revocationKey = () => base64Bytes(4);

const setRevocationKey = signedByIdentity.extend({ revocationKey: revocationKey() });

const webRevoke = z.object({ identity: identityString(), revocationKey: revocationKey() });

const shortString = (max: number) =>
  z
    .string({ invalid_type_error: 'must be a string', required_error: 'is required' })
    .max(max, `must be at most ${String(max)} characters`);

const fetchPriv = signedByIdentity.extend({ appVariant: shortString(16).optional() });

const linkEmail = signedByIdentity.extend({ email: shortString(320), lang: shortString(16).optional() });

const linkMobileNo = signedByIdentity.extend({
  mobileNo: shortString(32),
  lang: shortString(16).optional(),
  httpsUrl: z.boolean({ invalid_type_error: 'must be a boolean' }).optional(),
  urlScheme: z.boolean({ invalid_type_error: 'must be a boolean' }).optional(),
});

const verificationId = () => shortString(64).min(1, 'must not be empty');

const verifyMobileNo = z.object({ verificationId: verificationId(), code: shortString(16) });

const verificationOnly = z.object({ verificationId: verificationId() });

const emailConfirmation = z.object({
  id: verificationId(),
  token: shortString(64).min(1, 'must not be empty'),
});

function parse<Schema extends z.ZodTypeAny>(schema: Schema, body: unknown): z.output<Schema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('the body must be a JSON object');
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues.at(0);
    const field = issue?.path.join('.') ?? '';
    throw invalidRequest(field === '' ? 'invalid request' : `${field} ${issue?.message ?? 'is invalid'}`);
  }
  return result.data as z.output<Schema>;
}

function answerOf(fields: { token?: Uint8Array; response?: Uint8Array }): ChallengeAnswer | undefined {
  if (fields.token === undefined && fields.response === undefined) return undefined;
  if (fields.token === undefined || fields.response === undefined) {
    throw invalidRequest('token and response must be sent together');
  }
  return { token: fields.token, response: fields.response };
}

function invalidRequest(message: string): DirectoryError {
  return new DirectoryError(DirectoryErrorCode.InvalidRequest, message);
}

export function decodeIdentityList(body: unknown): string[] {
  return parse(identityList, body).identities;
}

export function decodeCreateIdentity(body: unknown): { publicKey: Uint8Array; answer?: ChallengeAnswer } {
  const fields = parse(createIdentity, body);
  return { publicKey: fields.publicKey, answer: answerOf(fields) };
}

export function decodeSetFeatureMask(body: unknown): {
  identity: string;
  featureMask: bigint;
  answer?: ChallengeAnswer;
} {
  const fields = parse(setFeatureMask, body);
  return { identity: fields.identity, featureMask: BigInt(fields.featureMask), answer: answerOf(fields) };
}

export interface SignedByIdentity {
  identity: string;
  answer?: ChallengeAnswer;
}

/** identity/check_revocation_key and identity/revoke: just the identity, signed. */
export function decodeSignedByIdentity(body: unknown): SignedByIdentity {
  const fields = parse(revoke, body);
  return { identity: fields.identity, answer: answerOf(fields) };
}

export function decodeSetRevocationKey(body: unknown): SignedByIdentity & { revocationKey: Uint8Array } {
  const fields = parse(setRevocationKey, body);
  return { identity: fields.identity, revocationKey: fields.revocationKey, answer: answerOf(fields) };
}

export function decodeWebRevoke(body: unknown): { identity: string; revocationKey: Uint8Array } {
  return parse(webRevoke, body);
}

export function decodeFetchPriv(body: unknown): SignedByIdentity {
  const fields = parse(fetchPriv, body);
  return { identity: fields.identity, answer: answerOf(fields) };
}

export function decodeLinkEmail(body: unknown): SignedByIdentity & { email: string; lang?: string } {
  const fields = parse(linkEmail, body);
  return { identity: fields.identity, email: fields.email, lang: fields.lang, answer: answerOf(fields) };
}

/** identity/link_mobileno carries either a link request or, with `verificationId`, the code (spec §4.3). */
export function decodeLinkMobileNo(
  body: unknown,
):
  | { kind: 'link'; identity: string; mobileNo: string; lang?: string; answer?: ChallengeAnswer }
  | { kind: 'verify'; verificationId: string; code: string } {
  if (typeof body === 'object' && body !== null && 'verificationId' in body) {
    return { kind: 'verify', ...parse(verifyMobileNo, body) };
  }
  const fields = parse(linkMobileNo, body);
  return {
    kind: 'link',
    identity: fields.identity,
    mobileNo: fields.mobileNo,
    lang: fields.lang,
    answer: answerOf(fields),
  };
}

export function decodeVerificationId(body: unknown): string {
  return parse(verificationOnly, body).verificationId;
}

/** The query of the link in a verification e-mail. */
export function decodeEmailConfirmation(query: unknown): { id: string; token: string } {
  return parse(emailConfirmation, query);
}

/** The request schemas above, for the OpenAPI document (http/openapi): the same objects that validate requests. */
export const REQUEST_SCHEMAS = {
  identityList,
  createIdentity,
  setFeatureMask,
  signedByIdentity: revoke,
  setRevocationKey,
  webRevoke,
  fetchPriv,
  linkEmail,
  linkMobileNo: z.union([linkMobileNo, verifyMobileNo]),
  verificationOnly,
  emailConfirmation,
} as const;
