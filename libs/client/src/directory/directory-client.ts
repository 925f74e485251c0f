import { createHash } from 'node:crypto';

import {
  directoryChallengeResponse,
  generateX25519KeyPair,
  x25519HSalsa20,
  type X25519KeyPair,
} from '@ots/crypto';
import { isThreemaId } from '@ots/protocol';
import { z } from 'zod';

import { DirectoryClientError, DirectoryClientErrorCode } from './directory-error';
import type {
  CreatedIdentity,
  DirectoryIdentity,
  IdentityCheckResult,
  IdentityCredentials,
  MatchRequest,
  MatchResult,
  PrivateIdentityData,
  RevocationKeyStatus,
} from './directory-types';

export interface DirectoryClientOptions {
  /** The directory base URL, ending with "/" (spec §4.1), e.g. from the provisioning file. */
  readonly baseUrl: string;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
  /** Sent as User-Agent (spec §4.1 clients send `Threema/<version>`). */
  readonly userAgent?: string;
  /** OnPrem: HTTP Basic credentials on every request (spec §4.1). */
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** Replaces the global fetch (tests). */
  readonly fetch?: typeof fetch;
}

type Json = Record<string, unknown>;

const DEFAULT_TIMEOUT_MS = 10_000;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const base64Bytes = (length?: number) =>
  z
    .string()
    .regex(BASE64, 'must be standard base64')
    .transform((value) => new Uint8Array(Buffer.from(value, 'base64')))
    .refine((bytes) => length === undefined || bytes.length === length, `must be ${String(length)} bytes`);

const identitySchema = z.object({
  identity: z.string(),
  publicKey: base64Bytes(32),
  featureMask: z.number().int().nonnegative().nullish(),
  state: z.number().int().optional(),
  type: z.number().int().optional(),
});

const challengeSchema = z.object({ token: base64Bytes(), tokenRespKeyPub: base64Bytes(32) });
const successSchema = z.object({ success: z.literal(true) }).passthrough();

function toIdentity(parsed: z.output<typeof identitySchema>): DirectoryIdentity {
  return {
    identity: parsed.identity,
    publicKey: parsed.publicKey,
    featureMask: parsed.featureMask ?? 0,
    state: parsed.state ?? 0,
    type: parsed.type ?? 0,
  };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function requireIdentity(identity: string): void {
  if (!isThreemaId(identity)) {
    throw new DirectoryClientError(DirectoryClientErrorCode.INVALID_INPUT, 'not a valid Threema ID');
  }
}

/** spec §4.3 set_revocation_key: base64(SHA-256(UTF-8 password)[0..4]), 8 characters. */
export function revocationKeyFromPassword(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest().subarray(0, 4).toString('base64');
}

/**
 * The directory REST API of spec §4 as typed calls. Signed calls run both phases of spec §4.2: the first POST gets a
 * challenge, the second repeats the body with the token and the BLAKE2b response computed from the secret key.
 */
export class DirectoryClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: DirectoryClientOptions) {
    if (!/^https?:\/\/[^\s?#]+\/$/.test(options.baseUrl)) {
      throw new DirectoryClientError(
        DirectoryClientErrorCode.INVALID_INPUT,
        'directory base URL must be an http(s) URL ending with "/"',
      );
    }
    this.baseUrl = options.baseUrl;
    this.fetch = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.headers = { accept: 'application/json', 'user-agent': options.userAgent ?? 'ots-client/0.1' };
    if (options.basicAuth !== undefined) {
      const { username, password } = options.basicAuth;
      this.headers.authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
    }
  }

  /** identity/create (signed with the new key): generates a key pair unless one is given. */
  async createIdentity(keyPair: X25519KeyPair = generateX25519KeyPair()): Promise<CreatedIdentity> {
    const reply = await this.signed(
      'identity/create',
      { publicKey: base64(keyPair.publicKey) },
      keyPair.secretKey,
    );
    const created = this.parse(
      z.object({ identity: z.string().refine(isThreemaId, 'must be a Threema ID'), serverGroup: z.string() }),
      reply,
      'identity/create',
    );
    return {
      identity: created.identity,
      serverGroup: created.serverGroup,
      publicKey: keyPair.publicKey,
      secretKey: keyPair.secretKey,
    };
  }

  /** GET identity/<ID>; NOT_FOUND for unknown or revoked identities. */
  async fetchIdentity(identity: string): Promise<DirectoryIdentity> {
    requireIdentity(identity);
    // errors name the endpoint, never the identity (the SDK also runs inside the *MY3DATA bot)
    const reply = await this.request(
      'GET',
      `identity/${encodeURIComponent(identity)}`,
      undefined,
      'identity/<ID>',
    );
    return toIdentity(this.parse(identitySchema, reply, 'identity/<ID>'));
  }

  /** identity/fetch_bulk: the known, unrevoked ones of `identities` (missing entries are invalid). */
  async fetchBulk(identities: readonly string[]): Promise<DirectoryIdentity[]> {
    const reply = await this.request('POST', 'identity/fetch_bulk', { identities });
    return this.parse(
      z.object({ identities: z.array(identitySchema) }),
      reply,
      'identity/fetch_bulk',
    ).identities.map(toIdentity);
  }

  /** identity/check: parallel arrays turned into one entry per identity, in request order. */
  async check(identities: readonly string[]): Promise<IdentityCheckResult> {
    const reply = await this.request('POST', 'identity/check', { identities });
    const parsed = this.parse(
      z.object({
        states: z.array(z.number().int()),
        types: z.array(z.number().int()),
        featureMasks: z.array(z.number().int().nullable()),
        checkInterval: z.number().int().nonnegative(),
      }),
      reply,
      'identity/check',
    );
    const { states, types, featureMasks } = parsed;
    if ([states, types, featureMasks].some((list) => list.length !== identities.length)) {
      throw this.unexpected('identity/check', 'arrays do not match the request');
    }
    return {
      identities: identities.map((identity, index) => ({
        identity,
        state: states[index],
        type: types[index],
        featureMask: featureMasks[index],
      })),
      checkInterval: parsed.checkInterval,
    };
  }

  /** identity/check_featuremask: one mask per identity (null when unknown). */
  async checkFeatureMask(identities: readonly string[]): Promise<(number | null)[]> {
    const reply = await this.request('POST', 'identity/check_featuremask', { identities });
    const parsed = this.parse(
      z.object({ featureMasks: z.array(z.number().int().nullable()) }),
      reply,
      'identity/check_featuremask',
    );
    if (parsed.featureMasks.length !== identities.length) {
      throw this.unexpected('identity/check_featuremask', 'array does not match the request');
    }
    return parsed.featureMasks;
  }

  async setFeatureMask(credentials: IdentityCredentials, featureMask: number): Promise<void> {
    await this.signedAction('identity/set_featuremask', credentials, { featureMask });
  }

  /** identity/fetch_priv: what the directory holds privately about the identity. */
  async fetchPriv(
    credentials: IdentityCredentials,
    appVariant: 'consumer' | 'work' = 'consumer',
  ): Promise<PrivateIdentityData> {
    const reply = await this.signedAction('identity/fetch_priv', credentials, { appVariant });
    const parsed = this.parse(
      z.object({
        identity: z.string(),
        serverGroup: z.string(),
        email: z.string().optional(),
        mobileNo: z.string().optional(),
      }),
      reply,
      'identity/fetch_priv',
    );
    return {
      identity: parsed.identity,
      serverGroup: parsed.serverGroup,
      ...(parsed.email === undefined ? {} : { email: parsed.email }),
      ...(parsed.mobileNo === undefined ? {} : { mobileNo: parsed.mobileNo }),
    };
  }

  /**
   * identity/link_email (spec §4.3): links (or with "" unlinks) an e-mail address. Resolves `linked: true` when the
   * address is linked already, else `linked: false` after the server sent its verification e-mail.
   */
  async linkEmail(
    credentials: IdentityCredentials,
    email: string,
    lang = 'en',
  ): Promise<{ linked: boolean }> {
    return this.link('identity/link_email', credentials, { email, lang });
  }

  /** Polls the state of an e-mail link: phase 1 without `lang` only answers `{linked}`. */
  async isEmailLinked(identity: string, email: string): Promise<boolean> {
    requireIdentity(identity);
    const reply = await this.request('POST', 'identity/link_email', { identity, email });
    return this.parse(z.object({ linked: z.boolean() }).passthrough(), reply, 'identity/link_email').linked;
  }

  /** identity/link_mobileno: `verificationId` is set when an SMS with a code was sent. */
  async linkMobileNo(
    credentials: IdentityCredentials,
    mobileNo: string,
    lang = 'en',
  ): Promise<{ linked: boolean; verificationId?: string }> {
    const path = 'identity/link_mobileno';
    requireIdentity(credentials.identity);
    const body = { identity: credentials.identity, mobileNo, lang, httpsUrl: true };
    const phaseOne = await this.request('POST', path, body);
    if (phaseOne.linked === true) return { linked: true };
    const reply = await this.answerChallenge(path, body, phaseOne, credentials.secretKey);
    this.requireSuccess(reply, path);
    const parsed = this.parse(z.object({ verificationId: z.string().optional() }).passthrough(), reply, path);
    return parsed.verificationId === undefined
      ? { linked: false }
      : { linked: false, verificationId: parsed.verificationId };
  }

  /** identity/link_mobileno with the code from the SMS (unsigned). */
  async verifyMobileNo(verificationId: string, code: string): Promise<void> {
    this.requireSuccess(
      await this.request('POST', 'identity/link_mobileno', { verificationId, code }),
      'identity/link_mobileno',
    );
  }

  async checkRevocationKey(credentials: IdentityCredentials): Promise<RevocationKeyStatus> {
    // answered without a "success" field (spec §4.3)
    const reply = await this.signedAction('identity/check_revocation_key', credentials, {}, false);
    const parsed = this.parse(
      z.object({ revocationKeySet: z.boolean(), lastChanged: z.string().optional() }),
      reply,
      'identity/check_revocation_key',
    );
    return parsed.lastChanged === undefined
      ? { revocationKeySet: parsed.revocationKeySet }
      : { revocationKeySet: parsed.revocationKeySet, lastChanged: parsed.lastChanged };
  }

  /** identity/set_revocation_key with the key derived from `password` (see revocationKeyFromPassword). */
  async setRevocationKey(credentials: IdentityCredentials, password: string): Promise<void> {
    await this.signedAction('identity/set_revocation_key', credentials, {
      revocationKey: revocationKeyFromPassword(password),
    });
  }

  /** identity/revoke: revokes the identity by proving its key. Irreversible. */
  async revoke(credentials: IdentityCredentials): Promise<void> {
    await this.signedAction('identity/revoke', credentials, {});
  }

  /** identity/ws/revoke (unsigned): revokes with the password whose key was set with setRevocationKey. */
  async revokeWithPassword(identity: string, password: string): Promise<void> {
    requireIdentity(identity);
    const body = { identity, revocationKey: revocationKeyFromPassword(password) };
    this.requireSuccess(await this.request('POST', 'identity/ws/revoke', body), 'identity/ws/revoke');
  }

  /** identity/match_token: a token for identity/match (spec §4.3). */
  async matchToken(credentials: IdentityCredentials): Promise<string> {
    const reply = await this.signedAction('identity/match_token', credentials, {});
    return this.parse(z.object({ matchToken: z.string() }).passthrough(), reply, 'identity/match_token')
      .matchToken;
  }

  /** identity/match: identities linked to any of the hashes (spec §4.4). */
  async match(request: MatchRequest): Promise<MatchResult> {
    const body: Json = {
      emailHashes: request.emailHashes.map(base64),
      mobileNoHashes: request.mobileNoHashes.map(base64),
    };
    if (request.matchToken !== undefined) body.matchToken = request.matchToken;
    if (request.includeInactive !== undefined) body.includeInactive = request.includeInactive;
    const parsed = this.parse(
      z.object({
        identities: z.array(
          z.object({
            identity: z.string(),
            publicKey: base64Bytes(32),
            emailHash: base64Bytes(32).optional(),
            mobileNoHash: base64Bytes(32).optional(),
          }),
        ),
        checkInterval: z.number().int().nonnegative().optional(),
      }),
      await this.request('POST', 'identity/match', body),
      'identity/match',
    );
    return {
      identities: parsed.identities.map((entry) => ({
        identity: entry.identity,
        publicKey: entry.publicKey,
        ...(entry.emailHash === undefined ? {} : { emailHash: entry.emailHash }),
        ...(entry.mobileNoHash === undefined ? {} : { mobileNoHash: entry.mobileNoHash }),
      })),
      checkInterval: parsed.checkInterval ?? 86_400,
    };
  }

  private async link(
    path: string,
    credentials: IdentityCredentials,
    fields: Json,
  ): Promise<{ linked: boolean }> {
    requireIdentity(credentials.identity);
    const body = { identity: credentials.identity, ...fields };
    const phaseOne = await this.request('POST', path, body);
    if (phaseOne.linked === true) return { linked: true };
    this.requireSuccess(await this.answerChallenge(path, body, phaseOne, credentials.secretKey), path);
    return { linked: false };
  }

  /** A signed call on behalf of an identity, answered `{success:true, …}`. */
  private async signedAction(
    path: string,
    credentials: IdentityCredentials,
    fields: Json,
    expectSuccessField = true,
  ): Promise<Json> {
    requireIdentity(credentials.identity);
    const body = { identity: credentials.identity, ...fields };
    return this.signed(path, body, credentials.secretKey, expectSuccessField);
  }

  private async signed(
    path: string,
    body: Json,
    secretKey: Uint8Array,
    expectSuccessField = true,
  ): Promise<Json> {
    const phaseOne = await this.request('POST', path, body);
    const reply = await this.answerChallenge(path, body, phaseOne, secretKey);
    if (expectSuccessField) this.requireSuccess(reply, path);
    return reply;
  }

  /** spec §4.2 phase 2: the identical body plus the echoed token and the BLAKE2b response. */
  private async answerChallenge(
    path: string,
    body: Json,
    phaseOne: Json,
    secretKey: Uint8Array,
  ): Promise<Json> {
    if (phaseOne.success === false) this.requireSuccess(phaseOne, path);
    const challenge = this.parse(challengeSchema, phaseOne, path);
    const shared = x25519HSalsa20(secretKey, challenge.tokenRespKeyPub);
    const response = directoryChallengeResponse(shared, challenge.token);
    const reply = await this.request('POST', path, {
      ...body,
      token: base64(challenge.token),
      response: base64(response),
    });
    if (reply.success === false) this.requireSuccess(reply, path);
    return reply;
  }

  private requireSuccess(reply: Json, path: string): void {
    if (successSchema.safeParse(reply).success) return;
    const error = typeof reply.error === 'string' ? reply.error : undefined;
    if (reply.success === false) {
      const errorType = typeof reply.errorType === 'string' ? reply.errorType : undefined;
      throw new DirectoryClientError(
        DirectoryClientErrorCode.REFUSED,
        `${path} refused: ${error ?? 'no reason given'}`,
        200,
        error,
        errorType,
      );
    }
    throw this.unexpected(path, 'no "success" field');
  }

  private parse<Schema extends z.ZodTypeAny>(schema: Schema, reply: Json, path: string): z.output<Schema> {
    const parsed = schema.safeParse(reply);
    if (!parsed.success) {
      if (reply.success === false) this.requireSuccess(reply, path);
      const issue = parsed.error.issues[0];
      throw this.unexpected(path, `${issue.path.join('.') || 'body'} ${issue.message}`);
    }
    return parsed.data as z.output<Schema>;
  }

  private unexpected(path: string, detail: string): DirectoryClientError {
    return new DirectoryClientError(
      DirectoryClientErrorCode.UNEXPECTED_RESPONSE,
      `${path}: unexpected response (${detail})`,
    );
  }

  private async request(method: 'GET' | 'POST', path: string, body?: Json, label = path): Promise<Json> {
    let response: Response;
    try {
      response = await this.fetch(new URL(path, this.baseUrl), {
        method,
        headers: body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'request failed';
      throw new DirectoryClientError(DirectoryClientErrorCode.NETWORK, `${label}: ${reason}`);
    }
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const object =
      typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Json) : undefined;
    if (response.ok) {
      if (object === undefined)
        throw this.unexpected(label, `status ${response.status} without a JSON object`);
      return object;
    }
    throw httpError(label, response, object);
  }
}

const CODE_BY_STATUS: Partial<Record<number, DirectoryClientErrorCode>> = {
  400: DirectoryClientErrorCode.BAD_REQUEST,
  401: DirectoryClientErrorCode.UNAUTHORIZED,
  404: DirectoryClientErrorCode.NOT_FOUND,
  429: DirectoryClientErrorCode.RATE_LIMITED,
};

function httpError(path: string, response: Response, body: Json | undefined): DirectoryClientError {
  const code = CODE_BY_STATUS[response.status] ?? DirectoryClientErrorCode.HTTP_ERROR;
  const serverError = typeof body?.error === 'string' ? body.error : undefined;
  const errorType = typeof body?.errorType === 'string' ? body.errorType : undefined;
  const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
  return new DirectoryClientError(
    code,
    `${path}: HTTP ${response.status}${serverError === undefined ? '' : ` (${serverError})`}`,
    response.status,
    serverError,
    errorType,
    Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
  );
}
