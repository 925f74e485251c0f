import { DirectoryErrorCode } from '../domain/directory-error';
import { decodeCreateIdentity, decodeIdentityList, decodeSetFeatureMask } from './request-decoding';

const invalid = { code: DirectoryErrorCode.InvalidRequest };
const KEY = Buffer.alloc(32, 5).toString('base64');

describe('request decoding', () => {
  it('decodes phase 1 and phase 2 of identity/create, ignoring licence fields', () => {
    expect(decodeCreateIdentity({ publicKey: KEY, deviceId: 'x' })).toEqual({
      publicKey: new Uint8Array(32).fill(5),
      answer: undefined,
    });
    const phaseTwo = decodeCreateIdentity({ publicKey: KEY, token: '/w==', response: 'AQI=' });
    expect(phaseTwo.answer).toEqual({ token: Uint8Array.of(0xff), response: Uint8Array.of(1, 2) });
  });

  it.each<[string, unknown]>([
    ['a missing body', undefined],
    ['an array body', [KEY]],
    ['a missing publicKey', {}],
    ['a numeric publicKey', { publicKey: 1 }],
    ['url-safe base64', { publicKey: '-_-_' }],
    ['base64 without padding', { publicKey: 'AQI' }],
    ['a token without a response', { publicKey: KEY, token: '/w==' }],
  ])('refuses %s', (_label, body) => {
    expect(() => decodeCreateIdentity(body)).toThrow(expect.objectContaining(invalid) as Error);
  });

  it('names the field, not the value', () => {
    expect(() => decodeCreateIdentity({ publicKey: 'secret!' })).toThrow('publicKey must be standard base64');
  });

  it('decodes identity lists and refuses non-strings and overlong strings', () => {
    expect(decodeIdentityList({ identities: ['ECHOECHO'] })).toEqual(['ECHOECHO']);
    expect(() => decodeIdentityList({ identities: [1] })).toThrow(expect.objectContaining(invalid) as Error);
    expect(() => decodeIdentityList({ identities: ['A'.repeat(17)] })).toThrow(
      expect.objectContaining(invalid) as Error,
    );
  });

  it('decodes set_featuremask with an integer mask only', () => {
    expect(decodeSetFeatureMask({ identity: 'ECHOECHO', featureMask: 255 })).toEqual({
      identity: 'ECHOECHO',
      featureMask: 255n,
      answer: undefined,
    });
    for (const featureMask of ['1', -1, 0.5, null]) {
      expect(() => decodeSetFeatureMask({ identity: 'ECHOECHO', featureMask })).toThrow(
        expect.objectContaining(invalid) as Error,
      );
    }
  });
});
