import { ByteReader } from '../codec/byte-reader';
import { ProtocolError, ProtocolErrorCode } from '../protocol-error';
import { isThreemaId } from '../threema-id';

// spec §1.3: the handshake's plaintext structures. Boxing/unboxing is the caller's (the mailbox's) job.

export const CLIENT_HELLO_LENGTH = 48;
export const SERVER_HELLO_LENGTH = 80;
export const LOGIN_DATA_LENGTH = 128;
/** login-data box: 128 bytes plaintext + 16 bytes MAC */
export const LOGIN_DATA_BOX_LENGTH = 144;
export const LOGIN_ACK_LENGTH = 32;
export const COOKIE_LENGTH = 16;
const KEY_LENGTH = 32;

/** spec §1.3 extension indicator: this magic, then u16-le length of the extensions box (plaintext + 16). */
export const EXTENSION_MAGIC = 'threema-clever-extension-field';

export interface ClientHello {
  readonly temporaryPublicKey: Uint8Array;
  readonly clientCookie: Uint8Array;
}

export function decodeClientHello(bytes: Uint8Array): ClientHello {
  if (bytes.length !== CLIENT_HELLO_LENGTH) {
    throw new ProtocolError(
      bytes.length < CLIENT_HELLO_LENGTH ? ProtocolErrorCode.TRUNCATED : ProtocolErrorCode.TOO_LARGE,
      `client-hello must be ${String(CLIENT_HELLO_LENGTH)} bytes, got ${String(bytes.length)}`,
    );
  }
  const reader = new ByteReader(bytes, 'client-hello');
  return {
    temporaryPublicKey: reader.readBytes(KEY_LENGTH, 'TCK.public'),
    clientCookie: reader.readBytes(COOKIE_LENGTH, 'CCK'),
  };
}

/** server-challenge-response plaintext (48): TSK.public ‖ CCK repeated; boxed into the server-hello. */
export function encodeServerChallengeResponse(
  serverTemporaryPublicKey: Uint8Array,
  clientCookie: Uint8Array,
): Uint8Array {
  if (serverTemporaryPublicKey.length !== KEY_LENGTH || clientCookie.length !== COOKIE_LENGTH) {
    throw new ProtocolError(
      ProtocolErrorCode.INVALID_FIELD,
      'server-challenge-response needs a 32-byte key and a 16-byte cookie',
    );
  }
  return Buffer.concat([serverTemporaryPublicKey, clientCookie]);
}

export type ExtensionIndicator =
  | { readonly kind: 'extensions'; readonly extensionsBoxLength: number }
  | { readonly kind: 'legacy-client-info'; readonly clientInfo: string };

export type Vouch =
  | { readonly kind: 'v2'; readonly vouch: Uint8Array }
  /** AND-OLD: reserved1 held a random nonce and bytes 80..127 a 48-byte box of TCK.public (spec §1.3 legacy) */
  | { readonly kind: 'legacy'; readonly nonce: Uint8Array; readonly box: Uint8Array };

export interface LoginData {
  readonly identity: string;
  readonly extensionIndicator: ExtensionIndicator;
  readonly serverCookieEcho: Uint8Array;
  readonly vouch: Vouch;
}

const ZERO_24 = new Uint8Array(24);
const ZERO_16 = new Uint8Array(16);

/** spec §1.3 login-data (plaintext 128 bytes). Which vouch is acceptable is the server's policy, not the codec's. */
export function decodeLoginData(bytes: Uint8Array): LoginData {
  if (bytes.length !== LOGIN_DATA_LENGTH) {
    throw new ProtocolError(
      ProtocolErrorCode.INVALID_FIELD,
      `login-data must be ${String(LOGIN_DATA_LENGTH)} bytes`,
    );
  }
  const reader = new ByteReader(bytes, 'login-data');
  const identity = Buffer.from(reader.readBytes(8, 'identity')).toString('latin1');
  if (!isThreemaId(identity))
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'login-data: identity is not a Threema ID');
  const indicator = reader.readBytes(32, 'client-info-or-extension-indicator');
  const serverCookieEcho = reader.readBytes(COOKIE_LENGTH, 'SCK repeated');
  const reserved1 = reader.readBytes(24, 'reserved1');
  const vouchField = reader.readBytes(32, 'vouch');
  const reserved2 = reader.readBytes(16, 'reserved2');
  const vouch: Vouch = equalBytes(reserved1, ZERO_24)
    ? { kind: 'v2', vouch: vouchField }
    : { kind: 'legacy', nonce: reserved1, box: Buffer.concat([vouchField, reserved2]) };
  if (vouch.kind === 'v2' && !equalBytes(reserved2, ZERO_16)) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'login-data: reserved2 must be zero');
  }
  return { identity, extensionIndicator: decodeIndicator(indicator), serverCookieEcho, vouch };
}

function decodeIndicator(field: Uint8Array): ExtensionIndicator {
  const magic = Buffer.from(field.subarray(0, EXTENSION_MAGIC.length)).toString('latin1');
  if (magic === EXTENSION_MAGIC) {
    const length = new DataView(field.buffer, field.byteOffset + EXTENSION_MAGIC.length, 2).getUint16(
      0,
      true,
    );
    if (length < 16)
      throw new ProtocolError(
        ProtocolErrorCode.INVALID_FIELD,
        'login-data: extensions box shorter than its MAC',
      );
    return { kind: 'extensions', extensionsBoxLength: length };
  }
  const end = field.indexOf(0);
  return {
    kind: 'legacy-client-info',
    clientInfo: Buffer.from(field.subarray(0, end === -1 ? field.length : end)).toString('utf8'),
  };
}

export interface LoginAckData {
  readonly serverTimeMs: bigint;
  readonly queuedMessages: number;
}

/** spec §1.3 login-ack plaintext: reserved(4) ‖ u64-le server time ms ‖ u32-le queued count (LIBT layout). */
export function encodeLoginAckData(data: LoginAckData): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(4, data.serverTimeMs, true);
  view.setUint32(12, Math.min(data.queuedMessages, 0xffff_ffff), true);
  return bytes;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

// ---- the client's side of the same structures (used by the client SDK) ----

/** client-hello (48): TCK.public ‖ CCK. */
export function encodeClientHello(hello: ClientHello): Uint8Array {
  if (hello.temporaryPublicKey.length !== KEY_LENGTH || hello.clientCookie.length !== COOKIE_LENGTH) {
    throw new ProtocolError(
      ProtocolErrorCode.INVALID_FIELD,
      'client-hello needs a 32-byte key and a 16-byte cookie',
    );
  }
  return Buffer.concat([hello.temporaryPublicKey, hello.clientCookie]);
}

export interface ServerChallengeResponse {
  readonly serverTemporaryPublicKey: Uint8Array;
  readonly clientCookieEcho: Uint8Array;
}

/** The 48-byte plaintext inside the server-hello box. */
export function decodeServerChallengeResponse(bytes: Uint8Array): ServerChallengeResponse {
  if (bytes.length !== KEY_LENGTH + COOKIE_LENGTH) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'server-challenge-response must be 48 bytes');
  }
  return {
    serverTemporaryPublicKey: bytes.slice(0, KEY_LENGTH),
    clientCookieEcho: bytes.slice(KEY_LENGTH),
  };
}

export interface LoginDataInput {
  readonly identity: string;
  /** byte length of the extensions box that follows (plaintext + 16) */
  readonly extensionsBoxLength: number;
  readonly serverCookie: Uint8Array;
  /** the v2 vouch (32 bytes) */
  readonly vouch: Uint8Array;
}

/** login-data (128) with the extension indicator and a v2 vouch (reserved fields zero). */
export function encodeLoginData(input: LoginDataInput): Uint8Array {
  if (!isThreemaId(input.identity))
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'login-data: identity is not a Threema ID');
  if (input.serverCookie.length !== COOKIE_LENGTH || input.vouch.length !== KEY_LENGTH) {
    throw new ProtocolError(
      ProtocolErrorCode.INVALID_FIELD,
      'login-data needs a 16-byte SCK and a 32-byte vouch',
    );
  }
  if (input.extensionsBoxLength < 16 || input.extensionsBoxLength > 0xffff) {
    throw new ProtocolError(
      ProtocolErrorCode.INVALID_FIELD,
      'login-data: extensions box length out of range',
    );
  }
  const bytes = new Uint8Array(LOGIN_DATA_LENGTH);
  bytes.set(Buffer.from(input.identity, 'latin1'), 0);
  bytes.set(Buffer.from(EXTENSION_MAGIC, 'latin1'), 8);
  new DataView(bytes.buffer).setUint16(8 + EXTENSION_MAGIC.length, input.extensionsBoxLength, true);
  bytes.set(input.serverCookie, 40);
  bytes.set(input.vouch, 80);
  return bytes;
}

/** login-ack plaintext (16); see encodeLoginAckData. */
export function decodeLoginAckData(bytes: Uint8Array): LoginAckData {
  if (bytes.length !== 16)
    throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'login-ack must be 16 bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return { serverTimeMs: view.getBigUint64(4, true), queuedMessages: view.getUint32(12, true) };
}
