import { ContactSyncError } from '../domain/contact-sync-error';
import { MatchBodyBytes, scanMatchBody } from './match-body';
import { MatchScratch } from './match-scratch';
import { decodeMatch, decodeMatchBytes } from './request-decoding';

const hash = (n: number) =>
  Buffer.from(Array.from({ length: 32 }, (_, i) => (n * 151 + i * 29 + ((n * i) >> 3)) & 255));
const b64 = (n: number) => hash(n).toString('base64');

/** What the generic path (JSON.parse, then request-decoding.ts) makes of a body: the request, or its error. */
function generic(text: string) {
  const scratch = new MatchScratch();
  try {
    const request = decodeMatch(JSON.parse(text), scratch);
    return {
      matchToken: request.matchToken,
      includeInactive: request.includeInactive,
      email: Buffer.from(request.emailHashes.bytes.subarray(0, request.emailHashes.count * 32)),
      mobileNo: Buffer.from(request.mobileNoHashes.bytes.subarray(0, request.mobileNoHashes.count * 32)),
    };
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof ContactSyncError) return undefined;
    throw error;
  }
}

/** The fast path: scanned by the parser, then decoded into a scratch by the controller. */
function fast(text: string) {
  const bytes = Buffer.from(text, 'utf8');
  const scanned = scanMatchBody(bytes);
  if (scanned === undefined) return undefined;
  const scratch = new MatchScratch();
  const request = decodeMatchBytes(new MatchBodyBytes(bytes, scanned), scratch);
  return {
    matchToken: request.matchToken,
    includeInactive: request.includeInactive,
    email: Buffer.from(request.emailHashes.bytes.subarray(0, request.emailHashes.count * 32)),
    mobileNo: Buffer.from(request.mobileNoHashes.bytes.subarray(0, request.mobileNoHashes.count * 32)),
  };
}

describe('scanMatchBody (the common-case fast path of identity/match)', () => {
  const common = [
    JSON.stringify({ matchToken: 'tok', emailHashes: [b64(1), b64(2)], mobileNoHashes: [b64(3)] }),
    JSON.stringify({ mobileNoHashes: [b64(4)], matchToken: 'A-_b', includeInactive: true }),
    JSON.stringify({ emailHashes: [], includeInactive: false }),
    JSON.stringify({ emailHashes: Array.from({ length: 500 }, (_, n) => b64(n)) }),
    JSON.stringify({ matchToken: 'x'.repeat(128), emailHashes: [b64(9)] }),
    JSON.stringify({ matchToken: '' }),
    '{}',
    ` \r\n\t{ "matchToken" : "t" ,\n  "emailHashes" : [ "${b64(5)}" ,\t"${b64(6)}" ] } \n`,
    JSON.stringify({ matchToken: 'printable ~!@#$%^&*()_+{}[]:;<>,.?/|' }),
  ];

  it.each(common)('decodes the common case %# exactly as the generic path does', (text) => {
    const expected = generic(text);
    expect(expected).toBeDefined();
    expect(fast(text)).toEqual(expected);
  });

  it('decodes all 256 byte values and ignores the unused bits of the last character, as Buffer does', () => {
    const hashes = Array.from({ length: 64 }, (_, n) => hash(n));
    expect(new Set(hashes.flatMap((value) => [...value])).size).toBe(256);
    const text = JSON.stringify({ emailHashes: hashes.map((value) => value.toString('base64')) });
    expect(fast(text)?.email).toEqual(Buffer.concat(hashes));
    const encoded = b64(7);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const sloppy = `${encoded.slice(0, 42)}${alphabet[alphabet.indexOf(encoded[42]) | 3]}=`;
    expect(fast(JSON.stringify({ emailHashes: [sloppy] }))?.email).toEqual(hash(7));
  });

  // each of these is left to the generic path, which accepts it or answers the error it always answered
  const others = [
    ['an escaped character in a hash', `{"emailHashes":["\\u0041${b64(1).slice(1)}"]}`],
    ['an escaped character in the token', '{"matchToken":"a\\"b"}'],
    ['a non-ASCII token', JSON.stringify({ matchToken: 'é' })],
    ['a token over 128 characters', JSON.stringify({ matchToken: 'x'.repeat(129) })],
    ['an unknown field', JSON.stringify({ emailHashes: [b64(1)], other: 1 })],
    ['a repeated field', `{"emailHashes":["${b64(1)}"],"emailHashes":["${b64(2)}"]}`],
    ['a null list', '{"emailHashes":null}'],
    ['a list that is not of strings', '{"emailHashes":[1]}'],
    ['a short hash', JSON.stringify({ emailHashes: [Buffer.alloc(16).toString('base64')] })],
    ['a long hash', JSON.stringify({ emailHashes: [Buffer.alloc(33).toString('base64')] })],
    ['a hash outside the alphabet', JSON.stringify({ emailHashes: [`${b64(1).slice(0, 42)}-=`] })],
    ['a hash with two padding characters', JSON.stringify({ emailHashes: [`${b64(1).slice(0, 42)}==`] })],
    ['includeInactive as a string', '{"includeInactive":"true"}'],
    ['includeInactive as a number', '{"includeInactive":1}'],
    ['a trailing comma', `{"emailHashes":["${b64(1)}"],}`],
    ['a trailing comma in a list', `{"emailHashes":["${b64(1)}",]}`],
    ['a missing colon', '{"matchToken" "t"}'],
    ['content after the object', '{} {}'],
    ['an unterminated body', '{"emailHashes":['],
    ['an array', '[]'],
    ['a string', '"x"'],
    ['an empty body', ''],
    ['a byte-order mark', '\uFEFF{}'],
    ['a prototype key', '{"__proto__":{"x":1}}'],
  ] as const;

  it.each(others)('leaves %s to the generic path', (_, text) => {
    expect(scanMatchBody(Buffer.from(text, 'utf8'))).toBeUndefined();
  });

  it('accepts nothing the generic path would refuse or read differently (mutations of a common body)', () => {
    const base = JSON.stringify({ matchToken: 'tok', emailHashes: [b64(1)], includeInactive: true });
    const alphabet = ' "{}[],:\\truefalsn0A=+/x\n\u00e9';
    let accepted = 0;
    for (let at = 0; at <= base.length; at++) {
      for (const c of alphabet) {
        for (const mutated of [
          base.slice(0, at) + c + base.slice(at),
          base.slice(0, at) + c + base.slice(at + 1),
          base.slice(0, at) + base.slice(at + 1),
        ]) {
          const result = fast(mutated);
          if (result === undefined) continue;
          accepted++;
          expect(result).toEqual(generic(mutated));
        }
      }
    }
    // whitespace insertions and in-alphabet hash/token changes are accepted; the rest fall back
    expect(accepted).toBeGreaterThan(100);
  });

  it('refuses a second scan that disagrees with the first (a bug, not bad input)', () => {
    const bytes = Buffer.from(JSON.stringify({ emailHashes: [b64(1)] }));
    const scanned = scanMatchBody(bytes);
    expect(scanned).toBeDefined();
    if (scanned === undefined) return;
    bytes[3] = 0x20;
    expect(() => decodeMatchBytes(new MatchBodyBytes(bytes, scanned), new MatchScratch())).toThrow(
      'scanned differently',
    );
  });
});
