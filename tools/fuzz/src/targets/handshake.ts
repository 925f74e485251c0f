import {
  boxOpenPrecomputed,
  boxPrecomputed,
  computeVouch,
  deriveVouchKey,
  x25519HSalsa20,
  x25519PublicKeyFromSecret,
} from '@ots/crypto';
import {
  decodeClientHello,
  decodeLoginAckData,
  decodeLoginData,
  decodeServerChallengeResponse,
  encodeClientHello,
  encodeLoginAckData,
  encodeLoginData,
  encodeLoginExtensions,
  EXTENSION_MAGIC,
  LOGIN_DATA_LENGTH,
  ProtocolError,
} from '@ots/protocol';

// eslint-disable-next-line @nx/enforce-module-boundaries -- the fuzzer drives the mailbox's own handshake code directly (docs/adr/0023)
import { ServerHandshake } from '../../../../apps/mailbox/src/csp/server-handshake';
import {
  ascii,
  decodeOrRefuse,
  type FuzzTarget,
  hex,
  PropertyViolation,
  requireBoundedOutput,
  requireEqual,
  select,
} from './target';

// spec §1.2–§1.4: the handshake's decoders (client-hello, login-data with its extension indicator and both vouch
// kinds, login-ack, server-challenge-response) and the mailbox's ServerHandshake, which opens the client's boxes
// and parses what is inside. For the server path the harness plays a real client (keys of spec §11.2), so the
// fuzzed bytes are the plaintexts the server decodes after a successful decryption.

const isProtocolError = (error: unknown): boolean => error instanceof ProtocolError;

const SERVER_SECRET = new Uint8Array(32).fill(0x01);
const SERVER_KEY = { secretKey: SERVER_SECRET, publicKey: x25519PublicKeyFromSecret(SERVER_SECRET) };
const CLIENT_TEMPORARY_SECRET = new Uint8Array(32).fill(0x03);
const CLIENT_TEMPORARY_PUBLIC = x25519PublicKeyFromSecret(CLIENT_TEMPORARY_SECRET);
const CLIENT_SECRET = hex('5d31a1950a807edcd195ec16a7e980e525c8bafe315d3b9bd9b22b186b4096bd');
const CLIENT_PUBLIC = x25519PublicKeyFromSecret(CLIENT_SECRET);
/** SS1, which the mailbox caches per identity */
const PERMANENT_SHARED = x25519HSalsa20(SERVER_SECRET, CLIENT_PUBLIC);

/** Flags of the server-path sub-target (first byte of its body). */
const ECHO_SERVER_COOKIE = 0x01;
const VALID_VOUCH = 0x02;
const RAW_LOGIN_BOX = 0x04;

function nonce(cookie: Uint8Array, sequenceNumber: number): Uint8Array {
  const out = new Uint8Array(24);
  out.set(cookie);
  new DataView(out.buffer).setBigUint64(16, BigInt(sequenceNumber), true);
  return out;
}

function clientHello(body: Uint8Array): void {
  const hello = decodeOrRefuse(() => decodeClientHello(body), isProtocolError);
  if (hello) requireEqual(encodeClientHello(hello), body, 'client-hello');
}

function loginData(body: Uint8Array): void {
  const data = decodeOrRefuse(() => decodeLoginData(body), isProtocolError);
  if (!data) return;
  requireBoundedOutput(data, body.length, 'login-data');
  if (data.vouch.kind === 'v2' && data.extensionIndicator.kind === 'extensions') {
    const encoded = encodeLoginData({
      identity: data.identity,
      extensionsBoxLength: data.extensionIndicator.extensionsBoxLength,
      serverCookie: data.serverCookieEcho,
      vouch: data.vouch.vouch,
    });
    requireEqual(encoded, body, 'login-data');
  }
}

function loginAck(body: Uint8Array): void {
  const ack = decodeOrRefuse(() => decodeLoginAckData(body), isProtocolError);
  if (!ack) return;
  // the 4 reserved bytes are written as zero
  requireEqual(encodeLoginAckData(ack).subarray(4), body.subarray(4), 'login-ack');
}

function serverChallengeResponse(body: Uint8Array): void {
  const response = decodeOrRefuse(() => decodeServerChallengeResponse(body), isProtocolError);
  if (response) {
    requireEqual([...response.serverTemporaryPublicKey, ...response.clientCookieEcho], body, 'challenge');
  }
}

/** A hostile client-hello straight into the server: any 48 bytes, including weak (low-order) keys. */
function serverClientHello(body: Uint8Array): void {
  const server = new ServerHandshake(SERVER_KEY);
  try {
    decodeOrRefuse(() => server.answerClientHello(body), isProtocolError);
  } finally {
    server.eraseTemporaryKey();
  }
}

/**
 * body = flags ‖ CCK (16) ‖ login-data plaintext (128) ‖ extensions plaintext. The harness boxes the plaintexts
 * as a client would (CSN 1 and 2), optionally echoing the real SCK and computing a valid v2 vouch so that the
 * fuzzer reaches the code after those checks.
 */
function serverLogin(body: Uint8Array): void {
  if (body.length < 1 + 16 + LOGIN_DATA_LENGTH) return;
  const flags = body[0];
  const clientCookie = body.slice(1, 17);
  const plaintext = body.slice(17, 17 + LOGIN_DATA_LENGTH);
  const extensions = body.subarray(17 + LOGIN_DATA_LENGTH);
  const server = new ServerHandshake(SERVER_KEY);
  try {
    const serverHello = decodeOrRefuse(
      () =>
        server.answerClientHello(
          encodeClientHello({ temporaryPublicKey: CLIENT_TEMPORARY_PUBLIC, clientCookie }),
        ),
      isProtocolError,
    );
    if (!serverHello) return;
    const serverCookie = serverHello.subarray(0, 16);
    const helloKey = x25519HSalsa20(CLIENT_TEMPORARY_SECRET, SERVER_KEY.publicKey);
    const challenge = boxOpenPrecomputed(serverHello.subarray(16), nonce(serverCookie, 1), helloKey);
    const serverTemporaryPublic = challenge.subarray(0, 32);
    const sessionKey = x25519HSalsa20(CLIENT_TEMPORARY_SECRET, serverTemporaryPublic);
    if (flags & ECHO_SERVER_COOKIE) plaintext.set(serverCookie, 40);
    const vouch = computeVouch(
      deriveVouchKey(PERMANENT_SHARED, x25519HSalsa20(CLIENT_SECRET, serverTemporaryPublic)),
      serverCookie,
      CLIENT_TEMPORARY_PUBLIC,
    );
    if (flags & VALID_VOUCH) plaintext.set(vouch, 80);
    const loginBox =
      flags & RAW_LOGIN_BOX
        ? body.subarray(17)
        : boxPrecomputed(plaintext, nonce(clientCookie, 1), sessionKey);
    const login = decodeOrRefuse(() => server.openLoginData(loginBox), isProtocolError);
    if (!login) return;
    requireBoundedOutput(login, plaintext.length, 'login-data');
    const verified = server.verifyVouch(login, CLIENT_PUBLIC, PERMANENT_SHARED);
    const expected = login.vouch.kind === 'v2' && Buffer.from(login.vouch.vouch).equals(vouch);
    if (verified !== expected) throw new PropertyViolation(`vouch check said ${String(verified)}`);
    server.verifyLegacyVouch(login, CLIENT_PUBLIC);
    if (login.extensionIndicator.kind === 'extensions') {
      const extensionsBox = boxPrecomputed(extensions, nonce(clientCookie, 2), sessionKey);
      const decoded = decodeOrRefuse(() => server.openExtensions(extensionsBox), isProtocolError);
      if (decoded) requireBoundedOutput(decoded, extensions.length, 'extensions');
    }
    server.loginAck(1_700_000_000_000n, 2);
    server.frameCipher();
  } finally {
    server.eraseTemporaryKey();
  }
}

const LOW_ORDER_POINTS = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];

const SUB_TARGETS = [
  clientHello,
  loginData,
  loginAck,
  serverChallengeResponse,
  serverClientHello,
  serverLogin,
];

const EXAMPLE_EXTENSIONS = hex('001d00312e303b513b656e2f55533b6e6f64653b32303b6c696e75783b78363402010003');

function exampleLoginData(): Uint8Array {
  return encodeLoginData({
    identity: '0HPT9EWD',
    extensionsBoxLength: EXAMPLE_EXTENSIONS.length + 16,
    serverCookie: new Uint8Array(16).fill(0x22),
    vouch: hex('97c95d8cd5c1761ea1e4e669907ca1add34cb3892f4c533940245f091cc85334'),
  });
}

function withSelector(which: number, ...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat([Uint8Array.of(which), ...parts]));
}

export const handshakeTarget: FuzzTarget = {
  name: 'handshake',
  coverage: ['libs/protocol/src/csp', 'libs/protocol/src/codec', 'apps/mailbox/src/csp/server-handshake.ts'],
  dictionary: [
    ascii(EXTENSION_MAGIC),
    ascii('0HPT9EWD'),
    ascii('*THREEMA'),
    ascii('1.0;Q;en/US;node;20;linux;x64'),
    new Uint8Array(16),
    new Uint8Array(24),
    new Uint8Array(32),
    Uint8Array.of(0x34, 0x00),
    Uint8Array.of(ECHO_SERVER_COOKIE | VALID_VOUCH),
    // X25519 points of small order (and their non-canonical twins): hostile temporary keys
    ...LOW_ORDER_POINTS.map(hex),
  ],
  maxInputLength: 1024,
  run(input) {
    const { which, body } = select(input, SUB_TARGETS.length);
    SUB_TARGETS[which](body);
  },
  seeds() {
    const clientCookie = new Uint8Array(16).fill(0x11);
    const legacyClientInfo = exampleLoginData();
    legacyClientInfo.fill(0, 8, 40);
    legacyClientInfo.set(ascii('1.0;Q;en/US;node'), 8);
    const legacyVouch = exampleLoginData();
    legacyVouch.fill(0x5a, 56, 80);
    return [
      { name: 'client-hello', bytes: withSelector(0, CLIENT_TEMPORARY_PUBLIC, clientCookie) },
      { name: 'login-data-extensions', bytes: withSelector(1, exampleLoginData()) },
      { name: 'login-data-client-info', bytes: withSelector(1, legacyClientInfo) },
      { name: 'login-data-legacy-vouch', bytes: withSelector(1, legacyVouch) },
      {
        name: 'login-ack',
        bytes: withSelector(2, encodeLoginAckData({ serverTimeMs: 1_700_000_000_000n, queuedMessages: 2 })),
      },
      {
        name: 'server-challenge-response',
        bytes: withSelector(3, new Uint8Array(32).fill(0xce), clientCookie),
      },
      { name: 'server-client-hello', bytes: withSelector(4, CLIENT_TEMPORARY_PUBLIC, clientCookie) },
      {
        name: 'server-login',
        bytes: withSelector(
          5,
          Uint8Array.of(ECHO_SERVER_COOKIE | VALID_VOUCH),
          clientCookie,
          exampleLoginData(),
          EXAMPLE_EXTENSIONS,
        ),
      },
      {
        name: 'server-login-device-cookie',
        bytes: withSelector(
          5,
          Uint8Array.of(ECHO_SERVER_COOKIE | VALID_VOUCH),
          clientCookie,
          exampleLoginData(),
          encodeLoginExtensions({
            clientInfo: '1.0;A;de/CH;android',
            cspDeviceId: 0x0102030405060708n,
            supportedFeatures: 3,
            deviceCookie: new Uint8Array(16).fill(0x44),
          }),
        ),
      },
    ];
  },
};
