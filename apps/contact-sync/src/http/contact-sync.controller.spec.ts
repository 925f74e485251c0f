import { HashIndex } from '@ots/contact-sync-index';
import { directoryChallengeResponse, generateX25519KeyPair, x25519HSalsa20 } from '@ots/crypto';

import { ContactMatchUseCase } from '../domain/contact-match.usecase';
import { ContactSyncError } from '../domain/contact-sync-error';
import { ContactSyncController } from './contact-sync.controller';
import { MatchBodyBytes, scanMatchBody } from './match-body';
import { MatchScratch } from './match-scratch';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const hash = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (n * 41 + i * 7 + 1) & 255);
const allZero = (bytes: Uint8Array) => bytes.every((byte) => byte === 0);

async function setup() {
  const index = new HashIndex();
  const searcher = generateX25519KeyPair();
  for (let n = 0; n < 50; n++) {
    index.link({
      kind: n % 2 === 0 ? 'email' : 'mobileNo',
      hash: hash(n),
      identity: `M${n.toString().padStart(7, '0')}`,
      publicKey: hash(1000 + n),
      active: true,
    });
  }
  const useCase = new ContactMatchUseCase(
    { index, ready: true },
    {
      checkIntervalSeconds: 3600,
      matchTokenTtlMs: 60_000,
      maxHashesPerRequest: 1000,
      hashesPerIdentityPerDay: 100_000,
      requestsPerIdentityPerMinute: 1000,
    },
    () => Promise.resolve(searcher.publicKey),
  );
  const scratch = new MatchScratch();
  const controller = new ContactSyncController(useCase, scratch);
  const challenge = await controller.matchToken({ identity: 'SEARCHER' });
  if (challenge.token === undefined) throw new Error('expected a challenge');
  const token = Buffer.from(challenge.token, 'base64');
  const shared = x25519HSalsa20(searcher.secretKey, Buffer.from(challenge.tokenRespKeyPub, 'base64'));
  const answered = await controller.matchToken({
    identity: 'SEARCHER',
    token: b64(token),
    response: b64(directoryChallengeResponse(shared, token)),
  });
  if (answered.matchToken === undefined) throw new Error('expected a match token');
  return { controller, scratch, matchToken: answered.matchToken };
}

/** Every byte the scratch holds, whatever its current capacity. */
function scratchBytes(scratch: MatchScratch): Uint8Array[] {
  return [scratch.emailHashes.bytes, scratch.mobileNoHashes.bytes, ...scratch.matches.scratchViews()];
}

describe('ContactSyncController identity/match', () => {
  it('answers from the scratch and leaves no byte of the request or its matches in it', async () => {
    const { controller, scratch, matchToken } = await setup();
    const emailHashes = [0, 2, 4, 99].map((n) => b64(hash(n)));
    const mobileNoHashes = [1, 3, 98].map((n) => b64(hash(n)));
    const answer = JSON.parse(
      controller.match({ matchToken, emailHashes, mobileNoHashes }).toString('utf8'),
    ) as { identities: { identity: string }[]; checkInterval: number };
    expect(answer.identities.map((entry) => entry.identity)).toEqual([
      'M0000000',
      'M0000002',
      'M0000004',
      'M0000001',
      'M0000003',
    ]);
    expect(answer.checkInterval).toBe(3600);
    // the scratch did hold the request (it has grown to it) and now holds only zeros
    expect(scratch.emailHashes.bytes.length).toBeGreaterThanOrEqual(4 * 32);
    expect(scratch.matches.publicKeys.length).toBeGreaterThanOrEqual(5 * 32);
    for (const bytes of scratchBytes(scratch)) expect(allZero(bytes)).toBe(true);
    expect(scratch.emailHashes.count + scratch.mobileNoHashes.count + scratch.matches.length).toBe(0);
  });

  it('answers a body the parser passed on as bytes the same, then overwrites those bytes too', async () => {
    const { controller, scratch, matchToken } = await setup();
    const request = {
      matchToken,
      emailHashes: [0, 2].map((n) => b64(hash(n))),
      mobileNoHashes: [b64(hash(1))],
    };
    const expected = controller.match(request).toString('utf8');
    const bytes = Buffer.from(JSON.stringify(request));
    const scanned = scanMatchBody(bytes);
    if (scanned === undefined) throw new Error('expected the common case');
    expect(controller.match(new MatchBodyBytes(bytes, scanned)).toString('utf8')).toBe(expected);
    expect(allZero(bytes)).toBe(true);
    for (const view of scratchBytes(scratch)) expect(allZero(view)).toBe(true);
  });

  it('overwrites the scratch when a request fails halfway through decoding or matching', async () => {
    const { controller, scratch, matchToken } = await setup();
    const valid = [0, 2, 4].map((n) => b64(hash(n)));
    // the fourth hash fails in its last group, after most of its bytes were decoded
    const broken = `${b64(hash(6)).slice(0, 41)}!A=`;
    expect(() => controller.match({ matchToken, emailHashes: [...valid, broken] })).toThrow(ContactSyncError);
    for (const bytes of scratchBytes(scratch)) expect(allZero(bytes)).toBe(true);
    // decoded, then refused by the token check
    expect(() => controller.match({ matchToken: 'wrong', emailHashes: valid })).toThrow(ContactSyncError);
    for (const bytes of scratchBytes(scratch)) expect(allZero(bytes)).toBe(true);
  });

  it('answers the same for the same request, one after the other (nothing left over between requests)', async () => {
    const { controller, matchToken } = await setup();
    const big = { matchToken, emailHashes: [0, 2, 4, 6].map((n) => b64(hash(n))) };
    const small = { matchToken, emailHashes: [b64(hash(8))] };
    const first = controller.match(big).toString('utf8');
    const smallAnswer = controller.match(small).toString('utf8');
    expect(controller.match(big).toString('utf8')).toBe(first);
    expect((JSON.parse(smallAnswer) as { identities: unknown[] }).identities).toHaveLength(1);
  });
});
