import type { HashMatch } from '@ots/contact-sync-index';

import { matchResponseJson } from './match-response';

const bytes = (fill: number, length = 32) => new Uint8Array(length).fill(fill);

describe('matchResponseJson', () => {
  it('is the JSON of the spec answer, field for field, for every combination of hashes', () => {
    const identities: HashMatch[] = [
      { identity: 'ECHOECHO', publicKey: bytes(1), active: true, emailHash: bytes(2) },
      { identity: '*MY3DATA', publicKey: bytes(3), active: false, mobileNoHash: bytes(4) },
      {
        identity: 'ABCDEFGH',
        publicKey: bytes(250),
        active: true,
        emailHash: bytes(251),
        mobileNoHash: bytes(252),
      },
      { identity: '01234567', publicKey: new Uint8Array(40).fill(9).subarray(4, 36), active: true },
    ];
    const b64 = (value: Uint8Array) => Buffer.from(value).toString('base64');
    const expected = {
      identities: identities.map((match) => ({
        identity: match.identity,
        publicKey: b64(match.publicKey),
        ...(match.emailHash ? { emailHash: b64(match.emailHash) } : {}),
        ...(match.mobileNoHash ? { mobileNoHash: b64(match.mobileNoHash) } : {}),
      })),
      checkInterval: 86400,
    };
    const text = matchResponseJson(identities, 86400);
    expect(JSON.parse(text)).toEqual(expected);
    expect(text).toBe(JSON.stringify(expected));
  });

  it('answers an empty match with an empty list', () => {
    expect(JSON.parse(matchResponseJson([], 60))).toEqual({ identities: [], checkInterval: 60 });
  });
});
