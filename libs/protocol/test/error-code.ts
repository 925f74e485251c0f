import { ProtocolError, ProtocolErrorCode } from '../src/protocol-error';

/** Runs `action` and returns the ProtocolError code it threw, undefined if it returned; rethrows anything else. */
export function protocolErrorCodeOf(action: () => unknown): ProtocolErrorCode | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  return undefined;
}
