import { randomInt } from 'node:crypto';

import { blake2b256, randomBytes } from '@ots/crypto';

/** Random verification IDs (the `verificationId` phone clients echo), 128 bits, URL-safe. */
export function newVerificationId(): string {
  return Buffer.from(randomBytes(16)).toString('base64url');
}

/** The secret an e-mail link carries, 256 bits, URL-safe. */
export function newEmailToken(): string {
  return Buffer.from(randomBytes(32)).toString('base64url');
}

/** A six-digit SMS code, uniformly drawn. */
export function newSmsCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}

/** What the pending row keeps instead of the token or code: a hash bound to the verification ID. */
export function verificationSecretHash(id: string, secret: string): Uint8Array {
  return blake2b256(Buffer.from(`ots.link-verification.v1\n${id}\n${secret}`, 'utf8'));
}
