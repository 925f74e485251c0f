import sodium from 'sodium-native';

import { asBuffer } from './bytes';

/**
 * Compares secrets (vouches, MACs, challenge responses) in time independent of their content.
 * Lengths are public, so a length mismatch returns false early instead of throwing.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 0) return true;
  return sodium.sodium_memcmp(asBuffer(a), asBuffer(b));
}
