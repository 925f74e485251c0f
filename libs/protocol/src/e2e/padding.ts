import { randomInt } from 'node:crypto';

import { ProtocolError, ProtocolErrorCode } from '../protocol-error';

/** spec §3: padded data is at least 32 bytes long, to hide the length of short messages. */
export const E2E_MIN_PADDED_LENGTH = 32;
const MAX_PAD_LENGTH = 255;

/** A random pad length 1..255 (spec §3), drawn from node's CSPRNG. */
export function randomPadLength(): number {
  return randomInt(1, MAX_PAD_LENGTH + 1);
}

/**
 * spec §3 PKCS#7-style padding of the E2E message data (after the type byte): `padLength` bytes each equal
 * to `padLength`, raised so that data + padding is at least 32 bytes (as LIBT's encoder does).
 */
export function addE2ePadding(data: Uint8Array, padLength: number = randomPadLength()): Uint8Array {
  if (!Number.isInteger(padLength) || padLength < 1 || padLength > MAX_PAD_LENGTH) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_PADDING, `pad length must be 1..${MAX_PAD_LENGTH}`);
  }
  const effectivePadLength = Math.max(padLength, E2E_MIN_PADDED_LENGTH - data.length);
  const out = Buffer.alloc(data.length + effectivePadLength, effectivePadLength);
  out.set(data, 0);
  return out;
}

/**
 * Removes the padding by its last byte. Like LIBT's decoder we only check that the length is possible
 * (1..length), not the value of every pad byte: the box's MAC already authenticates them, and a stricter
 * check would drop messages the reference client accepts.
 */
export function removeE2ePadding(padded: Uint8Array): Uint8Array {
  if (padded.length === 0) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_PADDING, 'padded data is empty');
  }
  const padLength = padded[padded.length - 1];
  if (padLength === 0 || padLength > padded.length) {
    throw new ProtocolError(
      ProtocolErrorCode.INVALID_PADDING,
      `pad length ${padLength} is impossible for ${padded.length} bytes`,
    );
  }
  return padded.slice(0, padded.length - padLength);
}
