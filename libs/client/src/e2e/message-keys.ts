import { CryptoError, CryptoErrorCode, deriveMessageMetadataKey, x25519HSalsa20 } from '@ots/crypto';

import { E2eError, E2eErrorCode } from './e2e-error';

/** The two keys of one sender/receiver pair: the message box key (spec §3) and the metadata key MMK (spec §2.4). */
export interface PairKeys {
  readonly messageKey: Uint8Array;
  readonly metadataKey: Uint8Array;
}

/** X25519HSalsa20(own secret, peer public) is symmetric, so sender and receiver derive the same pair. */
export function derivePairKeys(ownSecretKey: Uint8Array, peerPublicKey: Uint8Array): PairKeys {
  try {
    const messageKey = x25519HSalsa20(ownSecretKey, peerPublicKey);
    return { messageKey, metadataKey: deriveMessageMetadataKey(messageKey) };
  } catch (error) {
    if (error instanceof CryptoError && error.code !== CryptoErrorCode.DECRYPTION_FAILED) {
      throw new E2eError(E2eErrorCode.INVALID_INPUT, error.message);
    }
    throw error;
  }
}
