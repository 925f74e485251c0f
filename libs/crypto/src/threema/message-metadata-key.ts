import { blake2b256 } from '../blake2b';
import { requireLength } from '../bytes';
import { SYMMETRIC_KEY_LENGTH } from '../sizes';

/**
 * spec §2.4 MMK = BLAKE2b-256(key = X25519HSalsa20(sender.CK, receiver.CK), salt "mm", personal "3ma-csp").
 * The metadata container is a secretbox under MMK with the message's own nonce.
 */
export function deriveMessageMetadataKey(sharedSecret: Uint8Array): Uint8Array {
  requireLength(sharedSecret, SYMMETRIC_KEY_LENGTH, 'X25519HSalsa20 of sender and receiver keys');
  return blake2b256(new Uint8Array(0), { key: sharedSecret, salt: 'mm', personal: '3ma-csp' });
}
