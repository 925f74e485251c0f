import { ContactSyncError } from '../domain/contact-sync-error';
import { MatchScratch } from './match-scratch';
import { decodeMatch, decodeMatchToken } from './request-decoding';

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ContactSyncError) return error.message;
    throw error;
  }
  throw new Error('expected a ContactSyncError');
}

describe('request decoding', () => {
  const valid = Buffer.alloc(32, 7).toString('base64');

  it('decodes a match request into the scratch lists, defaulting the lists and includeInactive', () => {
    const scratch = new MatchScratch();
    const decoded = decodeMatch({ matchToken: 't', emailHashes: [valid] }, scratch);
    expect(decoded.matchToken).toBe('t');
    expect(decoded.includeInactive).toBe(false);
    expect(decoded.emailHashes).toBe(scratch.emailHashes);
    expect(decoded.emailHashes.count).toBe(1);
    expect(decoded.emailHashes.bytes.subarray(0, 32)).toEqual(new Uint8Array(32).fill(7));
    expect(decoded.mobileNoHashes.count).toBe(0);
    expect(decodeMatch({ includeInactive: true }, scratch).includeInactive).toBe(true);
  });

  it('decodes every base64 hash as Buffer does, trailing bits ignored', () => {
    const scratch = new MatchScratch();
    const hashes = Array.from({ length: 300 }, (_, n) =>
      Buffer.from(Array.from({ length: 32 }, (_, i) => (n * 31 + i * 97 + (n >> 2) * i) & 255)),
    );
    // all 256 byte values occur in the hashes
    expect(new Set(hashes.flatMap((hash) => [...hash])).size).toBe(256);
    const encoded = hashes.map((hash) => hash.toString('base64'));
    // the last character before '=' carries 2 unused bits: set them, as a sloppy encoder might
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const sloppy = `${encoded[0].slice(0, 42)}${alphabet[alphabet.indexOf(encoded[0][42]) | 3]}=`;
    expect(sloppy).not.toBe(encoded[0]);
    expect(Buffer.from(sloppy, 'base64')).toEqual(hashes[0]);
    expect(decodeMatch({ emailHashes: [sloppy] }, scratch).emailHashes.bytes.subarray(0, 32)).toEqual(
      new Uint8Array(hashes[0]),
    );
    const decoded = decodeMatch({ mobileNoHashes: encoded }, scratch).mobileNoHashes;
    expect(decoded.count).toBe(300);
    expect(Buffer.from(decoded.bytes.subarray(0, 300 * 32))).toEqual(Buffer.concat(hashes));
  });

  it.each([
    [{ emailHashes: 'x' }, 'emailHashes must be an array'],
    [{ emailHashes: ['not base64!'] }, 'emailHashes must be standard base64'],
    [{ mobileNoHashes: [Buffer.alloc(16).toString('base64')] }, 'mobileNoHashes must be 32 bytes'],
    [{ emailHashes: null }, 'emailHashes must be an array'],
    [{ emailHashes: [valid, 7] }, 'emailHashes must be a base64 string'],
    [{ emailHashes: ['A'.repeat(45)] }, 'emailHashes is too long'],
    [{ mobileNoHashes: [Buffer.alloc(33).toString('base64')] }, 'mobileNoHashes must be 32 bytes'],
    [{ emailHashes: [`${valid.slice(0, 43)}!`] }, 'emailHashes must be standard base64'],
    [{ emailHashes: [`é${valid.slice(1)}`] }, 'emailHashes must be standard base64'],
    [{ emailHashes: [`${valid.slice(0, 42)}==`] }, 'emailHashes must be 32 bytes'],
    [{ includeInactive: 'yes' }, 'includeInactive must be a boolean'],
    ['[]', 'body'],
  ])('names the bad field of %j without its value', (body, expected) => {
    expect(messageOf(() => decodeMatch(body, new MatchScratch()))).toContain(expected);
  });

  it('requires an 8-character identity for match_token', () => {
    expect(messageOf(() => decodeMatchToken({ identity: 'abc' }))).toBe(
      'identity must be an 8-character identity',
    );
    expect(decodeMatchToken({ identity: 'ABCD1234' })).toEqual({ identity: 'ABCD1234' });
  });
});
