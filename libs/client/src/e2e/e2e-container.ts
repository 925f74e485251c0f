import { addE2ePadding, ProtocolError, removeE2ePadding } from '@ots/protocol';

import { E2eError, E2eErrorCode } from './e2e-error';

/** The plaintext of a message box: type byte and body, padding removed. */
export interface E2eContainer {
  readonly type: number;
  readonly body: Uint8Array;
}

/** spec §3 container plaintext: `type` u8 ‖ PKCS#7-style padded body. `padLength` 1..255, random by default. */
export function encodeE2eContainer(container: E2eContainer, padLength?: number): Uint8Array {
  if (!Number.isInteger(container.type) || container.type < 0 || container.type > 0xff) {
    throw new E2eError(E2eErrorCode.INVALID_INPUT, 'E2E type must be a byte');
  }
  const padded =
    padLength === undefined ? addE2ePadding(container.body) : addE2ePadding(container.body, padLength);
  const out = new Uint8Array(1 + padded.length);
  out[0] = container.type;
  out.set(padded, 1);
  return out;
}

export function decodeE2eContainer(plaintext: Uint8Array): E2eContainer {
  if (plaintext.length < 2) {
    throw new E2eError(E2eErrorCode.MALFORMED, 'E2E container holds no type byte and padding');
  }
  try {
    return { type: plaintext[0], body: removeE2ePadding(plaintext.subarray(1)) };
  } catch (error) {
    if (error instanceof ProtocolError) throw new E2eError(E2eErrorCode.MALFORMED, error.message);
    throw error;
  }
}
