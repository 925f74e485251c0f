import { parseRetryAfter } from '../../domain/reliability/backoff';
import type { PushTarget } from '../../domain/tokens/push-target';
import type { PushProvider, SendOutcome, WakeNotice } from '../../domain/wakeups/provider';
import { AccessTokenCache, requestAccessToken } from './access-token-cache';

type HmsTarget = Extract<PushTarget, { provider: 'hms' }>;

export interface HmsSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly oauthUrl: string;
  readonly apiUrl: string;
  readonly timeoutMs: number;
}

// push-relay renews 180 s before expiry (spec push-providers §3)
const REFRESH_MARGIN_MS = 180_000;

/** HMS Push Kit v1: client-credentials OAuth, a content-free data message (spec §7.2, push-providers §3). */
export class HmsProvider implements PushProvider<HmsTarget> {
  readonly name = 'hms' as const;
  readonly tokens: AccessTokenCache;

  constructor(
    private readonly settings: HmsSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = new AccessTokenCache(
      () =>
        requestAccessToken(
          settings.oauthUrl,
          {
            grant_type: 'client_credentials',
            client_id: settings.clientId,
            client_secret: settings.clientSecret,
          },
          settings.timeoutMs,
          now,
        ),
      REFRESH_MARGIN_MS,
      now,
    );
  }

  async send(target: HmsTarget, notice: WakeNotice, signal: AbortSignal): Promise<SendOutcome> {
    const ttlS = Math.max(1, Math.ceil((notice.expiresAtMs - this.now()) / 1000));
    const body = JSON.stringify({
      validate_only: false,
      message: { data: '{}', token: [target.token], android: { urgency: 'HIGH', ttl: `${String(ttlS)}s` } },
    });
    const url = `${this.settings.apiUrl.replace(/\/$/, '')}/v1/${encodeURIComponent(target.appId)}/messages:send`;
    for (let authAttempt = 0; ; authAttempt++) {
      const token = await this.tokens.get();
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=UTF-8' },
        body,
        signal,
      });
      const text = await response.text();
      const outcome = classifyHmsResponse(
        response.status,
        text,
        target.token,
        response.headers.get('retry-after') ?? undefined,
      );
      if (outcome === 'refresh-auth') {
        this.tokens.invalidate(token);
        if (authAttempt === 0) continue;
        return { kind: 'failed', reason: '80200003', credential: true };
      }
      return outcome;
    }
  }
}

/** spec push-providers §3: HTTP status plus the business `code` in the body. */
export function classifyHmsResponse(
  status: number,
  text: string,
  token: string,
  retryAfterHeader: string | undefined,
): SendOutcome | 'refresh-auth' {
  let code: string | undefined;
  let msg: unknown;
  try {
    const parsed = JSON.parse(text) as { code?: unknown; msg?: unknown };
    code = typeof parsed.code === 'string' ? parsed.code : undefined;
    msg = parsed.msg;
  } catch {
    // not JSON: classify by status alone
  }
  const retryAfterMs = parseRetryAfter(retryAfterHeader);
  const later = (reason: string): SendOutcome => ({
    kind: 'retry',
    reason,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
  switch (code) {
    case '80000000':
      return { kind: 'sent' };
    case '80100000':
      return illegalTokens(msg).includes(token) ? { kind: 'gone', reason: '80100000' } : { kind: 'sent' };
    case '80300007':
      return { kind: 'gone', reason: code };
    case '80200003':
      return 'refresh-auth';
    case '80200001':
    case '80300002':
    case '80300011':
      return { kind: 'failed', reason: code, credential: true };
    case '81000001':
      return later(code);
    case '80100017':
      return later(code);
    default:
      break;
  }
  if (status === 401) return 'refresh-auth';
  if (status === 503) return later('flow_control');
  if (status >= 500) return later(`HTTP_${String(status)}`);
  return { kind: 'failed', reason: code ?? `HTTP_${String(status)}` };
}

/** 80100000: `msg` is a JSON string `{"success":n,"failure":m,"illegal_tokens":[…]}`. */
function illegalTokens(msg: unknown): string[] {
  if (typeof msg !== 'string') return [];
  try {
    const parsed = JSON.parse(msg) as { illegal_tokens?: unknown };
    return Array.isArray(parsed.illegal_tokens)
      ? parsed.illegal_tokens.filter((t): t is string => typeof t === 'string')
      : [];
  } catch {
    return [];
  }
}
