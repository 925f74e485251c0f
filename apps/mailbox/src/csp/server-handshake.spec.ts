import {
  box,
  boxOpenPrecomputed,
  boxPrecomputed,
  computeVouch,
  deriveVouchKey,
  generateX25519KeyPair,
  randomBytes,
  x25519HSalsa20,
} from '@ots/crypto';
import {
  cspNonce,
  decodeServerChallengeResponse,
  encodeClientHello,
  encodeLoginData,
  ProtocolError,
} from '@ots/protocol';

import { ServerHandshake } from './server-handshake';

/** The client's side of spec §1.3 up to the login box, done by hand (no sockets). */
function clientSide() {
  const server = generateX25519KeyPair();
  const client = generateX25519KeyPair();
  const temporary = generateX25519KeyPair();
  const clientCookie = randomBytes(16);
  const handshake = new ServerHandshake(server);
  const serverHello = handshake.answerClientHello(
    encodeClientHello({ temporaryPublicKey: temporary.publicKey, clientCookie }),
  );
  const serverCookie = serverHello.subarray(0, 16);
  const challenge = decodeServerChallengeResponse(
    boxOpenPrecomputed(
      serverHello.subarray(16),
      cspNonce(serverCookie, 1n),
      x25519HSalsa20(temporary.secretKey, server.publicKey),
    ),
  );
  const sessionKey = x25519HSalsa20(temporary.secretKey, challenge.serverTemporaryPublicKey);
  return { server, client, temporary, clientCookie, handshake, serverCookie, challenge, sessionKey };
}

describe('ServerHandshake (spec §1.3)', () => {
  it('answers the client-hello so that the client finds its cookie and a fresh temporary key', () => {
    const a = clientSide();
    const b = clientSide();
    expect(Buffer.from(a.challenge.clientCookieEcho).equals(Buffer.from(a.clientCookie))).toBe(true);
    expect(
      Buffer.from(a.challenge.serverTemporaryPublicKey).equals(
        Buffer.from(b.challenge.serverTemporaryPublicKey),
      ),
    ).toBe(false);
    expect(Buffer.from(a.serverCookie).equals(Buffer.from(a.clientCookie))).toBe(false);
  });

  it('accepts the v2 vouch of the key holder and refuses it for any other key', () => {
    const c = clientSide();
    const vouchKey = deriveVouchKey(
      x25519HSalsa20(c.client.secretKey, c.server.publicKey),
      x25519HSalsa20(c.client.secretKey, c.challenge.serverTemporaryPublicKey),
    );
    const vouch = computeVouch(vouchKey, c.serverCookie, c.temporary.publicKey);
    const loginData = encodeLoginData({
      identity: 'ECHOECHO',
      extensionsBoxLength: 16,
      serverCookie: c.serverCookie,
      vouch,
    });
    const decoded = c.handshake.openLoginData(
      boxPrecomputed(loginData, cspNonce(c.clientCookie, 1n), c.sessionKey),
    );
    const ss1 = x25519HSalsa20(c.server.secretKey, c.client.publicKey);
    expect(c.handshake.verifyVouch(decoded, c.client.publicKey, ss1)).toBe(true);
    const other = generateX25519KeyPair();
    expect(
      c.handshake.verifyVouch(decoded, other.publicKey, x25519HSalsa20(c.server.secretKey, other.publicKey)),
    ).toBe(false);
    expect(c.handshake.verifyLegacyVouch(decoded, c.client.publicKey)).toBe(false);
  });

  it('recognises a valid legacy vouch (only used behind CSP_ALLOW_LEGACY_VOUCH)', () => {
    const c = clientSide();
    const vouchNonce = randomBytes(24);
    const legacyBox = box(c.temporary.publicKey, vouchNonce, c.server.publicKey, c.client.secretKey);
    const loginData = new Uint8Array(128);
    loginData.set(Buffer.from('ECHOECHO', 'latin1'), 0);
    loginData.set(c.serverCookie, 40);
    loginData.set(vouchNonce, 56);
    loginData.set(legacyBox, 80);
    const decoded = c.handshake.openLoginData(
      boxPrecomputed(loginData, cspNonce(c.clientCookie, 1n), c.sessionKey),
    );
    expect(decoded.vouch.kind).toBe('legacy');
    expect(c.handshake.verifyLegacyVouch(decoded, c.client.publicKey)).toBe(true);
    expect(c.handshake.verifyLegacyVouch(decoded, generateX25519KeyPair().publicKey)).toBe(false);
    expect(c.handshake.verifyVouch(decoded, c.client.publicKey, new Uint8Array(32))).toBe(false);
  });

  it('refuses a login box that does not authenticate or echoes the wrong server cookie', () => {
    const c = clientSide();
    expect(() => c.handshake.openLoginData(randomBytes(144))).toThrow(ProtocolError);
    const wrongEcho = encodeLoginData({
      identity: 'ECHOECHO',
      extensionsBoxLength: 16,
      serverCookie: randomBytes(16),
      vouch: new Uint8Array(32),
    });
    expect(() =>
      c.handshake.openLoginData(boxPrecomputed(wrongEcho, cspNonce(c.clientCookie, 1n), c.sessionKey)),
    ).toThrow('server cookie echo does not match');
  });

  it('refuses a client-hello with a weak (low-order) temporary key as a protocol error (found by fuzzing)', () => {
    const handshake = new ServerHandshake(generateX25519KeyPair());
    // tools/fuzz/regressions/handshake: TCK = 32 zero bytes, a point of small order
    const hello = encodeClientHello({
      temporaryPublicKey: new Uint8Array(32),
      clientCookie: randomBytes(16),
    });
    expect(() => handshake.answerClientHello(hello)).toThrow(ProtocolError);
    expect(() => handshake.openLoginData(randomBytes(144))).toThrow(ProtocolError);
  });
});
