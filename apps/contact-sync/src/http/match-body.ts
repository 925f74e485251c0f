import type { HashListScratch } from './match-scratch';

/**
 * The identity/match body (spec §4.3) read straight from its bytes, for the common case only: a JSON object of
 * the four known fields, each at most once, the hash lists all valid 32-byte base64 hashes, the token plain
 * printable ASCII of at most 128 characters, includeInactive a literal. That is every well-formed request a
 * client sends. Its hashes are then decoded from the bytes into the request's scratch, and no string, array or
 * object is made per hash.
 *
 * Why: parsed generically, a body of 1,000 hashes became ~1,000 strings and their array in the JS heap each
 * request; the garbage collector's young-generation pauses copying them (5–20 ms, --trace-gc) were the p99 of
 * `npm run bench:contact-sync` (docs/adr/0025).
 *
 * Anything else, valid JSON or not, is not this case: scanMatchBody answers undefined and the body takes the
 * generic path (Fastify's JSON parser, then request-decoding.ts), so what is accepted and every error answer
 * stay exactly as before. The scan only accepts input the generic path would decode to the same request.
 */
export interface ScannedMatchBody {
  readonly matchToken?: string;
  readonly includeInactive?: boolean;
  readonly emailHashes: number;
  readonly mobileNoHashes: number;
}

const HASH_BYTES = 32;
const HASH_BASE64 = 44;
const MAX_TOKEN = 128;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** standard base64 alphabet → 6-bit value; -1 for every other byte */
const SEXTET = new Int8Array(256).fill(-1);
Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/').forEach((c, value) => {
  SEXTET[c.charCodeAt(0)] = value;
});

const FIELDS = ['matchToken', 'emailHashes', 'mobileNoHashes', 'includeInactive'] as const;
type Field = (typeof FIELDS)[number];
const FIELD_BYTES = FIELDS.map((field) => Buffer.from(`"${field}"`, 'latin1'));
const TRUE = Buffer.from('true', 'latin1');
const FALSE = Buffer.from('false', 'latin1');

/** Hash lists the scan accepts: longer ones take the generic path (which names the limit). */
export const SCAN_HASH_LIST_CAP = 100_000;

/** Standard base64 of 32 bytes at bytes[at …] (43 alphabet characters and '='), decoded into out[to …]. */
function decodeHash(bytes: Uint8Array, at: number, out: Uint8Array | undefined, to: number): boolean {
  if (bytes[at + 43] !== 0x3d) return false;
  let write = to;
  for (let from = at, end = at + 40; from < end; from += 4) {
    const a = SEXTET[bytes[from]];
    const b = SEXTET[bytes[from + 1]];
    const c = SEXTET[bytes[from + 2]];
    const d = SEXTET[bytes[from + 3]];
    if ((a | b | c | d) < 0) return false;
    if (out !== undefined) {
      out[write++] = (a << 2) | (b >> 4);
      out[write++] = ((b & 15) << 4) | (c >> 2);
      out[write++] = ((c & 3) << 6) | d;
    }
  }
  const a = SEXTET[bytes[at + 40]];
  const b = SEXTET[bytes[at + 41]];
  const c = SEXTET[bytes[at + 42]];
  if ((a | b | c) < 0) return false;
  if (out !== undefined) {
    // the two unused bits of the last character are ignored, as Buffer.from(…, 'base64') does
    out[write++] = (a << 2) | (b >> 4);
    out[write] = ((b & 15) << 4) | (c >> 2);
  }
  return true;
}

class Scanner {
  at = 0;

  constructor(readonly bytes: Uint8Array) {}

  /** JSON whitespace: space, tab, line feed, carriage return */
  skipSpace(): void {
    const { bytes } = this;
    let { at } = this;
    for (; at < bytes.length; at++) {
      const c = bytes[at];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    }
    this.at = at;
  }

  take(byte: number): boolean {
    this.skipSpace();
    if (this.bytes[this.at] !== byte) return false;
    this.at++;
    return true;
  }

  takeBytes(expected: Uint8Array): boolean {
    const { bytes, at } = this;
    if (at + expected.length > bytes.length) return false;
    for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
    this.at = at + expected.length;
    return true;
  }

  field(): Field | undefined {
    this.skipSpace();
    for (let i = 0; i < FIELDS.length; i++) if (this.takeBytes(FIELD_BYTES[i])) return FIELDS[i];
    return undefined;
  }

  /** A string of printable ASCII without escapes, up to `max` characters. */
  plainString(max: number): string | undefined {
    if (!this.take(QUOTE)) return undefined;
    const { bytes } = this;
    const start = this.at;
    for (let at = start; at < bytes.length && at - start <= max; at++) {
      const c = bytes[at];
      if (c === QUOTE) {
        this.at = at + 1;
        return Buffer.from(bytes.buffer, bytes.byteOffset + start, at - start).toString('latin1');
      }
      if (c < 0x20 || c > 0x7e || c === BACKSLASH) return undefined;
    }
    return undefined;
  }

  boolean(): boolean | undefined {
    this.skipSpace();
    if (this.takeBytes(TRUE)) return true;
    if (this.takeBytes(FALSE)) return false;
    return undefined;
  }

  /** A list of valid hashes; with `into`, decoded into it (sized by the validating scan before). */
  hashList(into: HashListScratch | undefined): number | undefined {
    if (!this.take(0x5b)) return undefined;
    if (this.take(0x5d)) return 0;
    const { bytes } = this;
    let count = 0;
    for (;;) {
      if (!this.take(QUOTE)) return undefined;
      const at = this.at;
      if (at + HASH_BASE64 >= bytes.length || bytes[at + HASH_BASE64] !== QUOTE) return undefined;
      if (!decodeHash(bytes, at, into?.bytes, count * HASH_BYTES)) return undefined;
      into?.added();
      this.at = at + HASH_BASE64 + 1;
      if (++count > SCAN_HASH_LIST_CAP) return undefined;
      if (this.take(0x5d)) return count;
      if (!this.take(0x2c)) return undefined;
    }
  }
}

/** What the JSON content-type parser hands identity/match when its body is the common case. */
export class MatchBodyBytes {
  constructor(
    /** the raw body: the controller overwrites it once the request is answered */
    readonly bytes: Buffer,
    readonly scanned: ScannedMatchBody,
  ) {}
}

/**
 * Scans a match body. Without `scratch` it only checks the body is the common case and counts its hashes;
 * with `scratch` (after that check) it also decodes the hashes into the scratch lists. Undefined: not the
 * common case, take the generic path.
 */
export function scanMatchBody(
  bytes: Uint8Array,
  scratch?: { readonly emailHashes: HashListScratch; readonly mobileNoHashes: HashListScratch },
  counts?: { readonly emailHashes: number; readonly mobileNoHashes: number },
): ScannedMatchBody | undefined {
  const scanner = new Scanner(bytes);
  if (scratch !== undefined && counts !== undefined) {
    scratch.emailHashes.reset(counts.emailHashes);
    scratch.mobileNoHashes.reset(counts.mobileNoHashes);
  }
  let seen = 0; // a bit per field
  let matchToken: string | undefined;
  let includeInactive: boolean | undefined;
  let emailHashes = 0;
  let mobileNoHashes = 0;
  if (!scanner.take(0x7b)) return undefined;
  if (!scanner.take(0x7d)) {
    for (;;) {
      const field = scanner.field();
      if (field === undefined) return undefined;
      const bit = 1 << FIELDS.indexOf(field);
      if ((seen & bit) !== 0 || !scanner.take(0x3a)) return undefined;
      seen |= bit;
      scanner.skipSpace();
      if (field === 'matchToken') {
        matchToken = scanner.plainString(MAX_TOKEN);
        if (matchToken === undefined) return undefined;
      } else if (field === 'includeInactive') {
        includeInactive = scanner.boolean();
        if (includeInactive === undefined) return undefined;
      } else {
        const into = scratch?.[field];
        const count = scanner.hashList(into);
        if (count === undefined) return undefined;
        if (field === 'emailHashes') emailHashes = count;
        else mobileNoHashes = count;
      }
      if (scanner.take(0x7d)) break;
      if (!scanner.take(0x2c)) return undefined;
    }
  }
  scanner.skipSpace();
  if (scanner.at !== bytes.length) return undefined;
  return { matchToken, includeInactive, emailHashes, mobileNoHashes };
}
