import {
  directoryChallengeResponse,
  generateX25519KeyPair,
  x25519HSalsa20,
  x25519PublicKeyFromSecret,
} from '@ots/crypto';

import { DirectoryErrorCode } from '../directory-error';
import { type ChallengeBinding, ChallengeService } from './challenge.service';

// spec §11.2 directory challenge: CK = the 0HPT9EWD key pair of §11.1, CPK.secret = 32×0x04, token = 0xff ‖ 31×0xab
const CK_PUBLIC = Buffer.from('1812948dac8683ec150461c64a7248f3e472e4e72256a5fc4149ff669a088d75', 'hex');
const CPK_SECRET = new Uint8Array(32).fill(0x04);
const VECTOR_TOKEN = Uint8Array.from([0xff, ...new Array<number>(31).fill(0xab)]);
const VECTOR_RESPONSE = Buffer.from('IhmVc7ZNSupA+D8/HhSP5valHV1GXK4JMWKs21XkUps=', 'base64');

// toThrow takes an error-like object; objectContaining matches its code
const invalidToken = expect.objectContaining({ code: DirectoryErrorCode.InvalidToken }) as Error;

const create: ChallengeBinding = { purpose: 'identity/create', data: { publicKey: 'AAAA' } };

function vectorService(now: () => number = () => 0): ChallengeService {
  return new ChallengeService({
    now,
    generateKeyPair: () => ({
      secretKey: Uint8Array.from(CPK_SECRET),
      publicKey: x25519PublicKeyFromSecret(CPK_SECRET),
    }),
    generateToken: () => Uint8Array.from(VECTOR_TOKEN),
  });
}

describe('ChallengeService', () => {
  it('issues the CPK public key and token of the §11.2 vector and accepts its response', () => {
    const service = vectorService();
    const issued = service.issue(create);
    expect(Buffer.from(issued.tokenRespKeyPub).toString('base64')).toBe(
      'rAGyIJ6GNU+4UyN7XeD0+rE8f8v0M6YcAZNpYX/s8Qs=',
    );
    expect(Buffer.from(issued.token).toString('base64')).toBe('/6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=');
    expect(service.consume(create, issued.token).verifyResponse(CK_PUBLIC, VECTOR_RESPONSE)).toBe(true);
  });

  it('refuses a response that is off by one bit, and erases the challenge after one try', () => {
    const service = vectorService();
    const issued = service.issue(create);
    const wrong = Uint8Array.from(VECTOR_RESPONSE);
    wrong[0] ^= 1;
    const consumed = service.consume(create, issued.token);
    expect(consumed.verifyResponse(CK_PUBLIC, wrong)).toBe(false);
    expect(consumed.verifyResponse(CK_PUBLIC, VECTOR_RESPONSE)).toBe(false);
  });

  it('refuses a response computed with another client key', () => {
    const service = vectorService();
    const issued = service.issue(create);
    const other = generateX25519KeyPair();
    expect(service.consume(create, issued.token).verifyResponse(other.publicKey, VECTOR_RESPONSE)).toBe(
      false,
    );
  });

  it('treats a low-order public key as a failed response, not an exception', () => {
    const service = vectorService();
    const issued = service.issue(create);
    expect(service.consume(create, issued.token).verifyResponse(new Uint8Array(32), VECTOR_RESPONSE)).toBe(
      false,
    );
  });

  it('generates tokens of 32 bytes starting with 0xff and a fresh key pair per challenge', () => {
    const service = new ChallengeService();
    const first = service.issue(create);
    const second = service.issue(create);
    expect(first.token).toHaveLength(32);
    expect(first.token[0]).toBe(0xff);
    expect(Buffer.from(first.token).equals(Buffer.from(second.token))).toBe(false);
    expect(Buffer.from(first.tokenRespKeyPub).equals(Buffer.from(second.tokenRespKeyPub))).toBe(false);
  });

  it('round-trips with a client computing the response as the spec says', () => {
    const service = new ChallengeService();
    const client = generateX25519KeyPair();
    const issued = service.issue(create);
    const response = directoryChallengeResponse(
      x25519HSalsa20(client.secretKey, issued.tokenRespKeyPub),
      issued.token,
    );
    expect(service.consume(create, issued.token).verifyResponse(client.publicKey, response)).toBe(true);
  });

  it('accepts a token only once', () => {
    const service = vectorService();
    const issued = service.issue(create);
    service.consume(create, issued.token);
    expect(() => service.consume(create, issued.token)).toThrow(invalidToken);
  });

  it('refuses an unknown token', () => {
    expect(() => new ChallengeService().consume(create, VECTOR_TOKEN)).toThrow(invalidToken);
  });

  it('refuses an expired token and consumes it', () => {
    let now = 1_000;
    const service = new ChallengeService({ now: () => now, ttlMs: 60_000 });
    const issued = service.issue(create);
    now += 60_000;
    expect(() => service.consume(create, issued.token)).toThrow(invalidToken);
    expect(service.pendingCount).toBe(0);
  });

  it.each<[string, ChallengeBinding]>([
    ['another purpose', { purpose: 'identity/set_featuremask', data: { publicKey: 'AAAA' } }],
    ['other data', { purpose: 'identity/create', data: { publicKey: 'BBBB' } }],
  ])('refuses a token presented for %s, and burns it', (_label, other) => {
    const service = new ChallengeService();
    const issued = service.issue(create);
    expect(() => service.consume(other, issued.token)).toThrow(invalidToken);
    expect(() => service.consume(create, issued.token)).toThrow(invalidToken);
  });

  it('binds to the data regardless of key order', () => {
    const service = new ChallengeService();
    const issued = service.issue({ purpose: 'p', data: { a: 1, b: 'x' } });
    expect(() => service.consume({ purpose: 'p', data: { b: 'x', a: 1 } }, issued.token)).not.toThrow();
  });

  it('keeps at most maxPending challenges, evicting the oldest first', () => {
    const service = new ChallengeService({ maxPending: 2 });
    const first = service.issue(create);
    const second = service.issue(create);
    const third = service.issue(create);
    expect(service.pendingCount).toBe(2);
    expect(() => service.consume(create, first.token)).toThrow(invalidToken);
    expect(() => service.consume(create, second.token)).not.toThrow();
    expect(() => service.consume(create, third.token)).not.toThrow();
  });

  it('drops expired challenges when issuing new ones', () => {
    let now = 0;
    const service = new ChallengeService({ now: () => now, ttlMs: 10 });
    service.issue(create);
    service.issue(create);
    now = 10;
    service.issue(create);
    expect(service.pendingCount).toBe(1);
  });
});
