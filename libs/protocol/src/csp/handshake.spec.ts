import { boxOpenPrecomputed, x25519HSalsa20, x25519PublicKeyFromSecret } from '@ots/crypto';

import { protocolErrorCodeOf } from '../../test/error-code';
import { fromHex, hex } from '../../test/hex';
import { ProtocolErrorCode } from '../protocol-error';
import { decodeContainer, encodeContainer } from './container';
import {
  decodeClientHello,
  decodeLoginAckData,
  decodeLoginData,
  decodeServerChallengeResponse,
  encodeClientHello,
  encodeLoginAckData,
  encodeLoginData,
  encodeServerChallengeResponse,
  EXTENSION_MAGIC,
  LOGIN_DATA_BOX_LENGTH,
} from './handshake';
import { decodeLoginExtensions, encodeLoginExtensions, SupportedFeature } from './login-extensions';

// spec §11.2 self-generated handshake transcript
const TSK_SECRET = new Uint8Array(32).fill(0x02);
const TCK_SECRET = new Uint8Array(32).fill(0x03);
const CCK = new Uint8Array(16).fill(0x11);
const SCK = new Uint8Array(16).fill(0x22);
const LOGIN = fromHex(
  '2df8f50e1440619aa4a5397b0d1f8599932753990376aa80297fd380dfa758f34ccbbf494f43f4c343827d9aae736a2f92356dcc4e1c4c59b4b08018b800e7af6ac725e8ff977e45f7b25b1558b0ff28e3e8b9f67b4bd8b37d9c07b1800e2c2580913df8e2244e2c152289aa880e6b5b25a099579894d110218aaf2f76bc1e1336609d07f4ff9def5409dc635dd0fefc6ff9989b721b0b335fe072f82b109bbc628d865ce87af7b9e1c0e6c98a50917a3c471afe674cf9afe88775c88f0f0dbad4a202ca',
);
const EXTENSIONS_PLAINTEXT = fromHex(
  '001d00312e303b513b656e2f55533b6e6f64653b32303b6c696e75783b78363402010003',
);

function nonce(cookie: Uint8Array, sequence: number): Uint8Array {
  const bytes = new Uint8Array(24);
  bytes.set(cookie);
  new DataView(bytes.buffer).setBigUint64(16, BigInt(sequence), true);
  return bytes;
}

describe('CSP handshake structures (spec §1.3, vectors §11.2)', () => {
  const sessionKey = x25519HSalsa20(TCK_SECRET, x25519PublicKeyFromSecret(TSK_SECRET));

  it('decodes the client-hello', () => {
    const tckPublic = x25519PublicKeyFromSecret(TCK_SECRET);
    const hello = decodeClientHello(Buffer.concat([tckPublic, CCK]));
    expect(hex(hello.temporaryPublicKey)).toBe(
      '5dfedd3b6bd47f6fa28ee15d969d5bb0ea53774d488bdaf9df1c6e0124b3ef22',
    );
    expect(hex(hello.clientCookie)).toBe('11'.repeat(16));
    expect(protocolErrorCodeOf(() => decodeClientHello(new Uint8Array(47)))).toBe(
      ProtocolErrorCode.TRUNCATED,
    );
    expect(protocolErrorCodeOf(() => decodeClientHello(new Uint8Array(49)))).toBe(
      ProtocolErrorCode.TOO_LARGE,
    );
  });

  it('builds the server-challenge-response plaintext', () => {
    const tskPublic = x25519PublicKeyFromSecret(TSK_SECRET);
    expect(hex(encodeServerChallengeResponse(tskPublic, CCK))).toBe(hex(tskPublic) + '11'.repeat(16));
  });

  it('decodes the login-data of the transcript: identity, extension indicator, SCK echo, v2 vouch', () => {
    const loginData = boxOpenPrecomputed(LOGIN.subarray(0, LOGIN_DATA_BOX_LENGTH), nonce(CCK, 1), sessionKey);
    const decoded = decodeLoginData(loginData);
    expect(decoded.identity).toBe('0HPT9EWD');
    expect(decoded.extensionIndicator).toEqual({ kind: 'extensions', extensionsBoxLength: 52 });
    expect(hex(decoded.serverCookieEcho)).toBe(hex(SCK));
    expect(decoded.vouch.kind).toBe('v2');
    if (decoded.vouch.kind === 'v2') {
      expect(hex(decoded.vouch.vouch)).toBe(
        '97c95d8cd5c1761ea1e4e669907ca1add34cb3892f4c533940245f091cc85334',
      );
    }
    const extensions = boxOpenPrecomputed(LOGIN.subarray(LOGIN_DATA_BOX_LENGTH), nonce(CCK, 2), sessionKey);
    expect(hex(extensions)).toBe(hex(EXTENSIONS_PLAINTEXT));
  });

  it('recognises the legacy vouch layout and legacy client-info', () => {
    const data = new Uint8Array(128);
    data.set(Buffer.from('ECHOECHO', 'latin1'), 0);
    data.set(Buffer.from('3.0;A;de/CH', 'utf8'), 8);
    data.fill(0x22, 40, 56);
    data.fill(0x77, 56, 80); // random vouch nonce in reserved1
    data.fill(0x55, 80, 128); // 48-byte box
    const decoded = decodeLoginData(data);
    expect(decoded.extensionIndicator).toEqual({ kind: 'legacy-client-info', clientInfo: '3.0;A;de/CH' });
    expect(decoded.vouch.kind).toBe('legacy');
    if (decoded.vouch.kind === 'legacy') {
      expect(hex(decoded.vouch.nonce)).toBe('77'.repeat(24));
      expect(decoded.vouch.box).toHaveLength(48);
    }
  });

  it('refuses malformed login-data', () => {
    const good = new Uint8Array(128);
    good.set(Buffer.from('ECHOECHO', 'latin1'), 0);
    good.set(Buffer.from(EXTENSION_MAGIC, 'latin1'), 8);
    good[38] = 52;
    expect(decodeLoginData(good).identity).toBe('ECHOECHO');
    const badId = Uint8Array.from(good);
    badId.set(Buffer.from('echo1234', 'latin1'), 0);
    expect(protocolErrorCodeOf(() => decodeLoginData(badId))).toBe(ProtocolErrorCode.INVALID_FIELD);
    const dirtyReserved = Uint8Array.from(good);
    dirtyReserved[120] = 1;
    expect(protocolErrorCodeOf(() => decodeLoginData(dirtyReserved))).toBe(ProtocolErrorCode.INVALID_FIELD);
    const tinyBox = Uint8Array.from(good);
    tinyBox[38] = 15;
    expect(protocolErrorCodeOf(() => decodeLoginData(tinyBox))).toBe(ProtocolErrorCode.INVALID_FIELD);
    expect(protocolErrorCodeOf(() => decodeLoginData(new Uint8Array(127)))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
  });

  it('encodes the login-ack plaintext of the transcript', () => {
    expect(hex(encodeLoginAckData({ serverTimeMs: 1_700_000_000_000n, queuedMessages: 2 }))).toBe(
      '00000000' + '0068e5cf8b010000' + '02000000',
    );
  });
});

describe('login extensions (spec §1.4)', () => {
  it('decodes the transcript extensions: client-info and the 0x03 feature mask', () => {
    const extensions = decodeLoginExtensions(EXTENSIONS_PLAINTEXT);
    expect(extensions).toEqual({
      clientInfo: '1.0;Q;en/US;node;20;linux;x64',
      supportedFeatures: SupportedFeature.messageWithMetadataBox | SupportedFeature.receivesEchoRequests,
      unknownTypes: [],
    });
    expect(
      hex(encodeLoginExtensions({ clientInfo: '1.0;Q;en/US;node;20;linux;x64', supportedFeatures: 3 })),
    ).toBe(hex(EXTENSIONS_PLAINTEXT));
  });

  it('round-trips device id and cookie, skips unknown types, defaults features to legacy', () => {
    const cookie = new Uint8Array(16).fill(9);
    const encoded = Buffer.concat([
      encodeLoginExtensions({ cspDeviceId: 0x0102030405060708n, deviceCookie: cookie }),
      Uint8Array.of(0x7f, 0x02, 0x00, 0xaa, 0xbb),
    ]);
    expect(decodeLoginExtensions(encoded)).toEqual({
      cspDeviceId: 0x0102030405060708n,
      supportedFeatures: 0,
      deviceCookie: cookie,
      unknownTypes: [0x7f],
    });
  });

  it.each([
    ['a truncated header', Uint8Array.of(0x00, 0x05), ProtocolErrorCode.TRUNCATED],
    ['a length beyond the buffer', Uint8Array.of(0x00, 0x05, 0x00, 0x41), ProtocolErrorCode.TRUNCATED],
    [
      'a 7-byte device id',
      Uint8Array.of(0x01, 0x07, 0x00, 1, 2, 3, 4, 5, 6, 7),
      ProtocolErrorCode.INVALID_FIELD,
    ],
    ['a 2-byte feature mask', Uint8Array.of(0x02, 0x02, 0x00, 3, 3), ProtocolErrorCode.INVALID_FIELD],
    [
      'a duplicate extension',
      Uint8Array.of(0x02, 0x01, 0x00, 3, 0x02, 0x01, 0x00, 1),
      ProtocolErrorCode.INVALID_FIELD,
    ],
    [
      'client-info that is not UTF-8',
      Uint8Array.of(0x00, 0x02, 0x00, 0xc3, 0x28),
      ProtocolErrorCode.MALFORMED,
    ],
  ])('refuses %s', (_name, bytes, code) => {
    expect(protocolErrorCodeOf(() => decodeLoginExtensions(bytes))).toBe(code);
  });
});

describe('payload container (spec §1.5)', () => {
  it('round-trips type and data and ignores reserved bytes on receipt', () => {
    const encoded = encodeContainer(0x00, Uint8Array.of(1, 2, 3));
    expect(hex(encoded)).toBe('00000000010203');
    expect(decodeContainer(Uint8Array.of(0x80, 9, 9, 9, 7))).toEqual({ type: 0x80, data: Uint8Array.of(7) });
  });

  it('refuses short, oversized and badly typed containers', () => {
    expect(protocolErrorCodeOf(() => decodeContainer(new Uint8Array(3)))).toBe(ProtocolErrorCode.TRUNCATED);
    expect(protocolErrorCodeOf(() => decodeContainer(new Uint8Array(4 + 8173)))).toBe(
      ProtocolErrorCode.TOO_LARGE,
    );
    expect(protocolErrorCodeOf(() => encodeContainer(256, new Uint8Array(0)))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
    expect(encodeContainer(0x01, new Uint8Array(8172))).toHaveLength(8176);
  });
});

describe('CSP handshake structures, client side', () => {
  it('re-encodes the §11.2 login-data exactly as the transcript has it', () => {
    const sessionKey = x25519HSalsa20(TCK_SECRET, x25519PublicKeyFromSecret(TSK_SECRET));
    const original = boxOpenPrecomputed(LOGIN.subarray(0, LOGIN_DATA_BOX_LENGTH), nonce(CCK, 1), sessionKey);
    const decoded = decodeLoginData(original);
    if (decoded.vouch.kind !== 'v2' || decoded.extensionIndicator.kind !== 'extensions')
      throw new Error('vector');
    const encoded = encodeLoginData({
      identity: decoded.identity,
      extensionsBoxLength: decoded.extensionIndicator.extensionsBoxLength,
      serverCookie: decoded.serverCookieEcho,
      vouch: decoded.vouch.vouch,
    });
    expect(hex(encoded)).toBe(hex(original));
  });

  it('round-trips client-hello, server-challenge-response and login-ack', () => {
    const tck = x25519PublicKeyFromSecret(TCK_SECRET);
    expect(decodeClientHello(encodeClientHello({ temporaryPublicKey: tck, clientCookie: CCK }))).toEqual({
      temporaryPublicKey: tck,
      clientCookie: CCK,
    });
    const tsk = x25519PublicKeyFromSecret(TSK_SECRET);
    const response = decodeServerChallengeResponse(encodeServerChallengeResponse(tsk, CCK));
    expect(hex(response.serverTemporaryPublicKey)).toBe(hex(tsk));
    expect(hex(response.clientCookieEcho)).toBe(hex(CCK));
    const ack = decodeLoginAckData(
      encodeLoginAckData({ serverTimeMs: 1_700_000_000_123n, queuedMessages: 42 }),
    );
    expect(ack).toEqual({ serverTimeMs: 1_700_000_000_123n, queuedMessages: 42 });
  });

  it('refuses to encode a login-data that no server could accept', () => {
    const base = {
      identity: 'ECHOECHO',
      extensionsBoxLength: 52,
      serverCookie: SCK,
      vouch: new Uint8Array(32),
    };
    expect(protocolErrorCodeOf(() => encodeLoginData({ ...base, identity: 'echo' }))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
    expect(protocolErrorCodeOf(() => encodeLoginData({ ...base, extensionsBoxLength: 15 }))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
    expect(protocolErrorCodeOf(() => decodeLoginAckData(new Uint8Array(15)))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
  });
});
