import { CryptoError, CryptoErrorCode } from '../src/crypto-error';

/** Runs `action` and returns the CryptoError code it threw, undefined if it returned; rethrows anything else. */
export function cryptoErrorCodeOf(action: () => unknown): CryptoErrorCode | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
  return undefined;
}
