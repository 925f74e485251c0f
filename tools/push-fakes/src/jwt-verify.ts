import { type KeyObject, verify } from 'node:crypto';

export interface VerifiedJwt {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
}

/** Verifies a compact JWS with RS256 or ES256 (IEEE P1363 signature); undefined when it does not verify. */
export function verifyJwt(
  token: string,
  algorithm: 'RS256' | 'ES256',
  key: KeyObject,
): VerifiedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<string, unknown>;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    if (header.alg !== algorithm) return undefined;
    const ok = verify(
      'sha256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      algorithm === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key,
      Buffer.from(parts[2], 'base64url'),
    );
    return ok ? { header, claims } : undefined;
  } catch {
    return undefined;
  }
}
