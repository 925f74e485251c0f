// The reference for (d) logins: a CSP server that does a login's handshake and nothing else, written plainly from
// the protocol's codecs (spec §1.2–§1.4). Per connection it does the crypto the mailbox does (a fresh temporary key
// pair and cookie, X25519 with the client's temporary key twice and with the client's permanent key once, the vouch
// checked, SS1 remembered per identity as the mailbox's warm identity cache does), answers with login-ack and
// queue-send-complete, and ends the connection when the client does. No directory, no database, no routing, no
// framework: what is left is the cost of TCP, Node's sockets and the handshake's crypto, the part of a login that
// no implementation on this platform can drop. `bench:mailbox floor` runs the logins scenario against it
// (handshake-floor-server.ts).
import { createServer, type Server, type Socket } from 'node:net';

import {
  boxOpenPrecomputed,
  boxPrecomputed,
  computeVouch,
  constantTimeEqual,
  deriveVouchKey,
  generateX25519KeyPair,
  memzero,
  randomBytes,
  x25519HSalsa20,
} from '@ots/crypto';
import {
  CLIENT_HELLO_LENGTH,
  COOKIE_LENGTH,
  CspFrameCipher,
  cspNonce,
  decodeClientHello,
  decodeLoginData,
  decodeLoginExtensions,
  encodeLoginAckData,
  encodeServerChallengeResponse,
  LOGIN_DATA_BOX_LENGTH,
  type LoginData,
  PayloadType,
} from '@ots/protocol';

const EMPTY = new Uint8Array(0);

/** A server that logs in the identities of `publicKeys` (and nobody else) and does nothing more. */
export function createHandshakeFloorServer(
  serverSecretKey: Uint8Array,
  publicKeys: ReadonlyMap<string, Uint8Array>,
): Server {
  const permanentSharedSecrets = new Map<string, Uint8Array>();
  const permanentSharedSecret = (identity: string, publicKey: Uint8Array): Uint8Array => {
    let secret = permanentSharedSecrets.get(identity);
    if (!secret) {
      secret = x25519HSalsa20(serverSecretKey, publicKey);
      permanentSharedSecrets.set(identity, secret);
    }
    return secret;
  };
  return createServer((socket) => {
    serve(socket, serverSecretKey, publicKeys, permanentSharedSecret);
  });
}

/** One connection's handshake; any failure ends the connection (the generator counts only successful logins). */
function serve(
  socket: Socket,
  serverSecretKey: Uint8Array,
  publicKeys: ReadonlyMap<string, Uint8Array>,
  permanentSharedSecret: (identity: string, publicKey: Uint8Array) => Uint8Array,
): void {
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  socket.on('end', () => socket.end());
  const temporary = generateX25519KeyPair();
  const serverCookie = randomBytes(COOKIE_LENGTH);
  let pending: Buffer = Buffer.alloc(0);
  let stage: 'hello' | 'login' | 'done' = 'hello';
  let clientCookie: Uint8Array = EMPTY;
  let clientTemporaryKey: Uint8Array = EMPTY;
  let sessionKey: Uint8Array = EMPTY;
  // opened once, also when the extensions box arrives in a later read
  let login: LoginData | undefined;
  socket.on('data', (chunk: Buffer) => {
    if (stage === 'done') return;
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    try {
      if (stage === 'hello') {
        if (pending.length < CLIENT_HELLO_LENGTH) return;
        const hello = decodeClientHello(pending.subarray(0, CLIENT_HELLO_LENGTH));
        pending = pending.subarray(CLIENT_HELLO_LENGTH);
        clientCookie = hello.clientCookie;
        clientTemporaryKey = hello.temporaryPublicKey;
        const helloKey = x25519HSalsa20(serverSecretKey, clientTemporaryKey);
        const box = boxPrecomputed(
          encodeServerChallengeResponse(temporary.publicKey, clientCookie),
          cspNonce(serverCookie, 1n),
          helloKey,
        );
        memzero(helloKey);
        sessionKey = x25519HSalsa20(temporary.secretKey, clientTemporaryKey);
        socket.write(Buffer.concat([serverCookie, box]));
        stage = 'login';
      }
      if (pending.length < LOGIN_DATA_BOX_LENGTH) return;
      login ??= decodeLoginData(
        boxOpenPrecomputed(
          pending.subarray(0, LOGIN_DATA_BOX_LENGTH),
          cspNonce(clientCookie, 1n),
          sessionKey,
        ),
      );
      const indicator = login.extensionIndicator;
      const extensionsLength = indicator.kind === 'extensions' ? indicator.extensionsBoxLength : 0;
      if (pending.length < LOGIN_DATA_BOX_LENGTH + extensionsLength) return;
      if (extensionsLength > 0) {
        decodeLoginExtensions(
          boxOpenPrecomputed(
            pending.subarray(LOGIN_DATA_BOX_LENGTH, LOGIN_DATA_BOX_LENGTH + extensionsLength),
            cspNonce(clientCookie, 2n),
            sessionKey,
          ),
        );
      }
      const publicKey = publicKeys.get(login.identity);
      if (
        !publicKey ||
        login.vouch.kind !== 'v2' ||
        !constantTimeEqual(login.serverCookieEcho, serverCookie)
      ) {
        socket.destroy();
        return;
      }
      const temporaryShared = x25519HSalsa20(temporary.secretKey, publicKey);
      const vouchKey = deriveVouchKey(permanentSharedSecret(login.identity, publicKey), temporaryShared);
      const expected = computeVouch(vouchKey, serverCookie, clientTemporaryKey);
      memzero(temporaryShared);
      memzero(vouchKey);
      memzero(temporary.secretKey);
      if (!constantTimeEqual(expected, login.vouch.vouch)) {
        socket.destroy();
        return;
      }
      stage = 'done';
      pending = Buffer.alloc(0);
      const ack = boxPrecomputed(
        encodeLoginAckData({ serverTimeMs: BigInt(Date.now()), queuedMessages: 0 }),
        cspNonce(serverCookie, 2n),
        sessionKey,
      );
      const cipher = new CspFrameCipher({
        sessionKey,
        outgoingCookie: serverCookie,
        incomingCookie: clientCookie,
      });
      // login-ack and queue-send-complete in one write, as the mailbox sends them for an empty queue
      socket.write(Buffer.concat([ack, cipher.sealPayload(PayloadType.queueSendComplete, EMPTY)]));
      cipher.erase();
    } catch {
      socket.destroy();
    }
  });
}
