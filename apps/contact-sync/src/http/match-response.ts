import type { IndexMatches, PackedHashes } from '@ots/contact-sync-index';

const ID_BYTES = 8;
const KEY_BYTES = 32;
const HASH_BYTES = 32;
/** base64 of 32 bytes: 43 characters and one '=' */
const B64_LENGTH = 44;

const ascii = (text: string) => Buffer.from(text, 'latin1');
const OPEN = ascii('{"identities":[');
const IDENTITY = ascii('{"identity":"');
const PUBLIC_KEY = ascii('","publicKey":"');
const EMAIL_HASH = ascii('","emailHash":"');
const MOBILE_NO_HASH = ascii('","mobileNoHash":"');
const CLOSE_ENTRY = ascii('"}');
const CLOSE_LIST = ascii('],"checkInterval":');
const ALPHABET = ascii('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');

/** Writes `bytes` at `at`; returns the position after them. */
function put(out: Uint8Array, at: number, bytes: Uint8Array): number {
  out.set(bytes, at);
  return at + bytes.length;
}

/** Standard base64 of source[from … from + 32) written at `at` (44 bytes); returns the position after it. */
function putBase64Of32(out: Uint8Array, at: number, source: Uint8Array, from: number): number {
  let to = at;
  let i = from;
  for (const end = from + 30; i < end; i += 3) {
    const bits = (source[i] << 16) | (source[i + 1] << 8) | source[i + 2];
    out[to++] = ALPHABET[bits >> 18];
    out[to++] = ALPHABET[(bits >> 12) & 63];
    out[to++] = ALPHABET[(bits >> 6) & 63];
    out[to++] = ALPHABET[bits & 63];
  }
  const bits = (source[i] << 16) | (source[i + 1] << 8);
  out[to++] = ALPHABET[bits >> 18];
  out[to++] = ALPHABET[(bits >> 12) & 63];
  out[to++] = ALPHABET[(bits >> 6) & 63];
  out[to++] = 0x3d; // '='
  return to;
}

/**
 * The identity/match answer (spec §4.3) as UTF-8 JSON bytes, written straight from the index's answer and the
 * request's packed hashes: no object, string or Buffer per entry (an answer to 1,000 hashes holds hundreds of
 * entries, and building them was a measurable part of each request, `npm run bench:contact-sync`).
 * The buffer is sized exactly, so every byte of it is written. IDs need no JSON escaping: the index only holds
 * IDs matching [0-9A-Z*][0-9A-Z]{7}; base64 needs none either.
 */
export function matchResponseBody(
  matches: IndexMatches,
  emailHashes: PackedHashes,
  mobileNoHashes: PackedHashes,
  checkInterval: number,
): Buffer {
  const interval = ascii(String(checkInterval));
  const fixedPerEntry = IDENTITY.length + ID_BYTES + PUBLIC_KEY.length + B64_LENGTH + CLOSE_ENTRY.length;
  let length = OPEN.length + CLOSE_LIST.length + interval.length + 1 + Math.max(0, matches.length - 1);
  for (let m = 0; m < matches.length; m++) {
    length += fixedPerEntry;
    if (matches.emailAt(m) >= 0) length += EMAIL_HASH.length + B64_LENGTH;
    if (matches.mobileNoAt(m) >= 0) length += MOBILE_NO_HASH.length + B64_LENGTH;
  }
  const out = Buffer.allocUnsafe(length);
  const ids = matches.idBytes;
  const keys = matches.publicKeys;
  let at = put(out, 0, OPEN);
  for (let m = 0; m < matches.length; m++) {
    if (m > 0) out[at++] = 0x2c; // ','
    at = put(out, at, IDENTITY);
    for (let i = m * ID_BYTES, end = i + ID_BYTES; i < end; i++) out[at++] = ids[i];
    at = put(out, at, PUBLIC_KEY);
    at = putBase64Of32(out, at, keys, m * KEY_BYTES);
    const emailAt = matches.emailAt(m);
    if (emailAt >= 0) {
      at = put(out, at, EMAIL_HASH);
      at = putBase64Of32(out, at, emailHashes.bytes, emailAt * HASH_BYTES);
    }
    const mobileNoAt = matches.mobileNoAt(m);
    if (mobileNoAt >= 0) {
      at = put(out, at, MOBILE_NO_HASH);
      at = putBase64Of32(out, at, mobileNoHashes.bytes, mobileNoAt * HASH_BYTES);
    }
    at = put(out, at, CLOSE_ENTRY);
  }
  at = put(out, at, CLOSE_LIST);
  at = put(out, at, interval);
  out[at++] = 0x7d; // '}'
  if (at !== length) throw new Error(`match answer: wrote ${String(at)} of ${String(length)} bytes`);
  return out;
}
