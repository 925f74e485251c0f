import { HashIndex, IndexMatches } from '@ots/contact-sync-index';

import { matchResponseBody } from './match-response';

const bytes = (fill: number, length = 32) => new Uint8Array(length).fill(fill);
const b64 = (value: Uint8Array) => Buffer.from(value).toString('base64');
const packed = (hashes: readonly Uint8Array[]) => ({ bytes: Buffer.concat(hashes), count: hashes.length });

describe('matchResponseBody', () => {
  it('is the JSON of the spec answer, field for field, for every combination of hashes', () => {
    const index = new HashIndex();
    const link = (kind: 'email' | 'mobileNo', hash: Uint8Array, identity: string, key: Uint8Array) => {
      index.link({ kind, hash, identity, publicKey: key, active: identity !== '*MY3DATA' });
    };
    link('email', bytes(2), 'ECHOECHO', bytes(1));
    link('mobileNo', bytes(4), '*MY3DATA', bytes(3));
    link('email', bytes(251), 'ABCDEFGH', bytes(250));
    link('mobileNo', bytes(252), 'ABCDEFGH', bytes(250));
    // every byte value in keys and hashes, so every base64 character and the padding positions occur
    const spread = Uint8Array.from({ length: 32 }, (_, i) => (i * 8 + 3) & 255);
    const spreadKey = Uint8Array.from({ length: 32 }, (_, i) => 255 - i * 8);
    link('email', spread, '01234567', spreadKey);
    const email = [bytes(2), bytes(9), bytes(251), spread];
    const mobileNo = [bytes(4), bytes(252)];
    const matches = new IndexMatches();
    index.matchInto(packed(email), packed(mobileNo), true, matches);

    const expected = {
      identities: [
        { identity: 'ECHOECHO', publicKey: b64(bytes(1)), emailHash: b64(bytes(2)) },
        {
          identity: 'ABCDEFGH',
          publicKey: b64(bytes(250)),
          emailHash: b64(bytes(251)),
          mobileNoHash: b64(bytes(252)),
        },
        { identity: '01234567', publicKey: b64(spreadKey), emailHash: b64(spread) },
        { identity: '*MY3DATA', publicKey: b64(bytes(3)), mobileNoHash: b64(bytes(4)) },
      ],
      checkInterval: 86400,
    };
    const body = matchResponseBody(matches, packed(email), packed(mobileNo), 86400);
    expect(JSON.parse(body.toString('utf8'))).toEqual(expected);
    expect(body.toString('utf8')).toBe(JSON.stringify(expected));
  });

  it('encodes base64 exactly as Buffer does for many different keys and hashes', () => {
    const index = new HashIndex();
    const hashes: Uint8Array[] = [];
    const expected: { identity: string; publicKey: string; mobileNoHash: string }[] = [];
    for (let n = 0; n < 200; n++) {
      const hash = Uint8Array.from({ length: 32 }, (_, i) => (n * 37 + i * 101 + n * i) & 255);
      const key = Uint8Array.from({ length: 32 }, (_, i) => (n * 13 + i * 59 + 7 * n * i) & 255);
      const identity = `N${n.toString().padStart(7, '0')}`;
      index.link({ kind: 'mobileNo', hash, identity, publicKey: key, active: true });
      hashes.push(hash);
      expected.push({ identity, publicKey: b64(key), mobileNoHash: b64(hash) });
    }
    const matches = new IndexMatches();
    index.matchInto(packed([]), packed(hashes), false, matches);
    const body = matchResponseBody(matches, packed([]), packed(hashes), 60);
    expect(body.toString('utf8')).toBe(JSON.stringify({ identities: expected, checkInterval: 60 }));
  });

  it('answers an empty match with an empty list', () => {
    const none = packed([]);
    const matches = new IndexMatches();
    new HashIndex().matchInto(none, none, false, matches);
    expect(JSON.parse(matchResponseBody(matches, none, none, 60).toString('utf8'))).toEqual({
      identities: [],
      checkInterval: 60,
    });
  });
});
