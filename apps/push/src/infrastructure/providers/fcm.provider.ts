import type { FcmServiceAccount } from '../../config';
import { parseRetryAfter } from '../../domain/reliability/backoff';
import type { PushTarget } from '../../domain/tokens/push-target';
import type { PushProvider, SendOutcome, WakeNotice } from '../../domain/wakeups/provider';
import { AccessTokenCache, requestAccessToken } from './access-token-cache';
import { Http2Origin } from './http2-origin';
import { signJwt } from './jwt';

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const MAX_TTL_S = 2_419_200;
// firebase-admin refreshes when fewer than 5 minutes remain (spec push-providers §1.2)
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

type FcmTarget = Extract<PushTarget, { provider: 'fcm' }>;

interface GoogleError {
  error?: {
    code?: number;
    status?: string;
    message?: string;
    details?: { '@type'?: string; errorCode?: string }[];
  };
}

/** FCM HTTP v1 over one HTTP/2 session: a content-free, high-priority data message (spec §7.2, push-providers §1). */
export class FcmProvider implements PushProvider<FcmTarget> {
  readonly name = 'fcm' as const;
  readonly tokens: AccessTokenCache;
  private readonly origin: Http2Origin;
  private readonly path: string;

  constructor(
    private readonly account: FcmServiceAccount,
    apiUrl: string,
    timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.origin = new Http2Origin(new URL(apiUrl).origin, { pingIntervalMs: 60_000 });
    this.path = `/v1/projects/${encodeURIComponent(account.projectId)}/messages:send`;
    this.tokens = new AccessTokenCache(() => this.fetchAccessToken(timeoutMs), REFRESH_MARGIN_MS, now);
  }

  async send(target: FcmTarget, notice: WakeNotice, signal: AbortSignal): Promise<SendOutcome> {
    const ttlS = Math.min(MAX_TTL_S, Math.max(0, Math.ceil((notice.expiresAtMs - this.now()) / 1000)));
    // no identity, nickname or message ID: the app reconnects and fetches (spec §7.2)
    const body = JSON.stringify({
      message: {
        token: target.registrationToken,
        data: { w: '1' },
        android: { priority: 'HIGH', ttl: `${String(ttlS)}s` },
      },
    });
    for (let authAttempt = 0; ; authAttempt++) {
      const token = await this.tokens.get();
      const response = await this.origin.request(
        {
          ':method': 'POST',
          ':path': this.path,
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body,
        signal,
      );
      if (response.status === 200) return { kind: 'sent' };
      const outcome = classifyFcmError(response.status, response.body, response.headers['retry-after']);
      if (outcome === 'refresh-auth') {
        this.tokens.invalidate(token);
        if (authAttempt === 0) continue;
        return { kind: 'failed', reason: 'UNAUTHENTICATED', credential: true };
      }
      if (response.status >= 500) this.origin.reset();
      return outcome;
    }
  }

  close(): void {
    this.origin.close();
  }

  private fetchAccessToken(timeoutMs: number): Promise<{ value: string; expiresAtMs: number }> {
    const iat = Math.floor(this.now() / 1000);
    const assertion = signJwt(
      'RS256',
      { typ: 'JWT', ...(this.account.privateKeyId ? { kid: this.account.privateKeyId } : {}) },
      { iss: this.account.clientEmail, scope: SCOPE, aud: this.account.tokenUri, iat, exp: iat + 3600 },
      this.account.privateKey,
    );
    return requestAccessToken(
      this.account.tokenUri,
      { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion },
      timeoutMs,
      this.now,
    );
  }
}

/** spec push-providers §1.4: the FcmError detail's errorCode, else error.status. */
export function classifyFcmError(
  status: number,
  body: Buffer,
  retryAfterHeader: string | string[] | undefined,
): SendOutcome | 'refresh-auth' {
  let parsed: GoogleError = {};
  try {
    parsed = JSON.parse(body.toString('utf8')) as GoogleError;
  } catch {
    // not JSON: classify by status alone
  }
  const detail = parsed.error?.details?.find((d) => d['@type']?.endsWith('google.firebase.fcm.v1.FcmError'));
  const code = detail?.errorCode ?? parsed.error?.status ?? `HTTP_${String(status)}`;
  const retryAfterMs = parseRetryAfter(
    Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader,
  );
  switch (code) {
    case 'UNREGISTERED':
    case 'NOT_FOUND':
      return { kind: 'gone', reason: 'UNREGISTERED' };
    case 'SENDER_ID_MISMATCH':
      return { kind: 'gone', reason: code };
    case 'INVALID_ARGUMENT':
      // a malformed registration token is dead; any other invalid argument is our bug
      return /registration token/i.test(parsed.error?.message ?? '')
        ? { kind: 'gone', reason: 'INVALID_TOKEN' }
        : { kind: 'failed', reason: code };
    case 'THIRD_PARTY_AUTH_ERROR':
    case 'PERMISSION_DENIED':
      return { kind: 'failed', reason: code, credential: true };
    case 'QUOTA_EXCEEDED':
    case 'RESOURCE_EXHAUSTED':
      return {
        kind: 'retry',
        reason: 'QUOTA_EXCEEDED',
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    case 'UNAVAILABLE':
    case 'INTERNAL':
    case 'UNSPECIFIED_ERROR':
      return { kind: 'retry', reason: code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    case 'UNAUTHENTICATED':
      return 'refresh-auth';
    default:
      if (status === 401) return 'refresh-auth';
      if (status === 429 || status >= 500) {
        return {
          kind: 'retry',
          reason: `HTTP_${String(status)}`,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
      }
      return { kind: 'failed', reason: `HTTP_${String(status)}` };
  }
}
