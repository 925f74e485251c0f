import type { HashMatch } from '@ots/contact-sync-index';

const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * The identity/match answer (spec §4.3) as JSON text, written directly: an answer to 1,000 hashes holds hundreds of
 * entries, and building an object per entry for JSON.stringify was a measurable part of each request
 * (`npm run bench:contact-sync`). Base64 needs no escaping; the identity is quoted by JSON.stringify all the same.
 */
export function matchResponseJson(identities: readonly HashMatch[], checkInterval: number): string {
  const parts: string[] = [];
  for (const match of identities) {
    let entry = `{"identity":${JSON.stringify(match.identity)},"publicKey":"${b64(match.publicKey)}"`;
    if (match.emailHash !== undefined) entry += `,"emailHash":"${b64(match.emailHash)}"`;
    if (match.mobileNoHash !== undefined) entry += `,"mobileNoHash":"${b64(match.mobileNoHash)}"`;
    parts.push(`${entry}}`);
  }
  return `{"identities":[${parts.join(',')}],"checkInterval":${String(checkInterval)}}`;
}
