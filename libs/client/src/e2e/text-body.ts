import { E2eError, E2eErrorCode } from './e2e-error';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** spec §3 text message (type 0x01): the body is the UTF-8 text. */
export function encodeTextBody(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

export function decodeTextBody(body: Uint8Array): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new E2eError(E2eErrorCode.MALFORMED, 'text message is not valid UTF-8');
  }
}
