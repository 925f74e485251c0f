import { ContactSyncError } from '../domain/contact-sync-error';
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

  it('decodes a match request, defaulting the lists and includeInactive', () => {
    expect(decodeMatch({ matchToken: 't', emailHashes: [valid] })).toEqual({
      matchToken: 't',
      emailHashes: [new Uint8Array(32).fill(7)],
      mobileNoHashes: [],
      includeInactive: false,
    });
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
    expect(messageOf(() => decodeMatch(body))).toContain(expected);
  });

  it('requires an 8-character identity for match_token', () => {
    expect(messageOf(() => decodeMatchToken({ identity: 'abc' }))).toBe(
      'identity must be an 8-character identity',
    );
    expect(decodeMatchToken({ identity: 'ABCD1234' })).toEqual({ identity: 'ABCD1234' });
  });
});
