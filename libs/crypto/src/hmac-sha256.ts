import { createHmac } from 'node:crypto';

/** HMAC-SHA256, used for the contact-matching hashes (spec §4.4) and Gateway callbacks (spec §9.1). */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return createHmac('sha256', key).update(data).digest();
}
