export interface AccessToken {
  readonly value: string;
  readonly expiresAtMs: number;
}

/**
 * An OAuth access token cached until `refreshMarginMs` before it expires, fetched by one request at a time
 * however many sends need it (spec push-providers §1.2, §3, §6.1). `invalidate` drops it after a 401.
 */
export class AccessTokenCache {
  private current: AccessToken | undefined;
  private pending: Promise<AccessToken> | undefined;
  fetches = 0;

  constructor(
    private readonly fetchToken: () => Promise<AccessToken>,
    private readonly refreshMarginMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    const current = this.current;
    if (current && current.expiresAtMs - this.refreshMarginMs > this.now()) return current.value;
    this.pending ??= this.fetchToken()
      .then((token) => {
        this.fetches++;
        this.current = token;
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return (await this.pending).value;
  }

  /** Forget the token if it is still the one that was refused. */
  invalidate(refused: string): void {
    if (this.current?.value === refused) this.current = undefined;
  }
}

/** POST an application/x-www-form-urlencoded body and read `{access_token, expires_in}`. */
export async function requestAccessToken(
  url: string,
  form: Record<string, string>,
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<AccessToken> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`token endpoint answered ${String(response.status)}`);
  const parsed = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
  if (typeof parsed.access_token !== 'string' || typeof parsed.expires_in !== 'number') {
    throw new Error('token endpoint answered without access_token and expires_in');
  }
  return { value: parsed.access_token, expiresAtMs: now() + parsed.expires_in * 1000 };
}
