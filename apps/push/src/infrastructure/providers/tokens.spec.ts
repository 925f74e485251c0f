import { generateKeyPairSync } from 'node:crypto';

import { AccessTokenCache } from './access-token-cache';
import { APNS_MIN_RESIGN_MS, APNS_RESIGN_AFTER_MS, ApnsTokenSigner } from './apns-token-signer';

const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { iss: string; iat: number };

describe('ApnsTokenSigner (push-providers §2.3)', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('reuses one token until it is 50 minutes old, derived from its own iat', () => {
    let now = 1_000_000;
    const signer = new ApnsTokenSigner(privateKey, 'KEYID00001', 'TEAMID0001', () => now);
    const first = signer.current();
    expect(claims(first.value)).toEqual({ iss: 'TEAMID0001', iat: 1_000 });
    now += APNS_RESIGN_AFTER_MS - 1;
    expect(signer.current().value).toBe(first.value);
    now += 1;
    expect(signer.current().value).not.toBe(first.value);
    expect(signer.signatures).toBe(2);
  });

  it('re-signs after ExpiredProviderToken once per generation, never within 20 minutes', () => {
    let now = 0;
    const signer = new ApnsTokenSigner(privateKey, 'KEYID00001', 'TEAMID0001', () => now);
    const first = signer.current();
    expect(signer.refreshAfterExpired(first.generation)).toBe(false);
    now = APNS_MIN_RESIGN_MS;
    expect(signer.refreshAfterExpired(first.generation)).toBe(true);
    expect(signer.refreshAfterExpired(first.generation)).toBe(true);
    expect(signer.signatures).toBe(2);
  });
});

describe('AccessTokenCache', () => {
  it('fetches once for concurrent callers and again only shortly before expiry', async () => {
    let now = 0;
    let fetched = 0;
    const cache = new AccessTokenCache(
      () => {
        fetched++;
        return Promise.resolve({ value: `token-${String(fetched)}`, expiresAtMs: now + 3_600_000 });
      },
      300_000,
      () => now,
    );
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual([
      'token-1',
      'token-1',
      'token-1',
    ]);
    now = 3_300_000 - 1;
    expect(await cache.get()).toBe('token-1');
    now = 3_300_000;
    expect(await cache.get()).toBe('token-2');
    cache.invalidate('token-1');
    expect(await cache.get()).toBe('token-2');
    cache.invalidate('token-2');
    expect(await cache.get()).toBe('token-3');
  });
});
