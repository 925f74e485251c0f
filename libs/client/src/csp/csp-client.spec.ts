import { createServer, type Server, type Socket } from 'node:net';

import {
  boxOpenPrecomputed,
  boxPrecomputed,
  computeVouch,
  deriveVouchKey,
  generateX25519KeyPair,
  randomBytes,
  x25519HSalsa20,
  type X25519KeyPair,
} from '@ots/crypto';
import {
  CLIENT_HELLO_LENGTH,
  COOKIE_LENGTH,
  CspFrameCipher,
  cspNonce,
  decodeClientHello,
  decodeLoginData,
  encodeLoginAckData,
  encodeServerChallengeResponse,
  LOGIN_DATA_BOX_LENGTH,
  PayloadType,
} from '@ots/protocol';

import { connectCsp } from './csp-client';

// The SDK's side of the handshake against a server of the test's own, built from the protocol codecs (the SDK
// never imports the mailbox). The server checks the vouch, so a login that succeeds proves the client's keys.

interface ServerScript {
  /** how the server's bytes go out: all at once, or one byte per write */
  readonly split?: boolean;
  /** a server-hello that echoes a different client cookie */
  readonly wrongCookieEcho?: boolean;
  /** close instead of answering the login */
  readonly closeAfterHello?: boolean;
  /** never answer at all */
  readonly silent?: boolean;
}

interface TestServer {
  readonly port: number;
  readonly keys: X25519KeyPair;
  readonly vouchesChecked: boolean[];
  close(): Promise<void>;
}

async function startServer(clientPublicKey: Uint8Array, script: ServerScript = {}): Promise<TestServer> {
  const keys = generateX25519KeyPair();
  const vouchesChecked: boolean[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const send = (bytes: Uint8Array): void => {
      if (!script.split) {
        socket.write(bytes);
        return;
      }
      for (const byte of bytes) socket.write(Uint8Array.of(byte));
    };
    let pending = Buffer.alloc(0);
    let stage: 'hello' | 'login' | 'done' = 'hello';
    const temporary = generateX25519KeyPair();
    const serverCookie = randomBytes(COOKIE_LENGTH);
    let clientHello: ReturnType<typeof decodeClientHello> | undefined;
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (script.silent) return;
      if (stage === 'hello' && pending.length >= CLIENT_HELLO_LENGTH) {
        clientHello = decodeClientHello(pending.subarray(0, CLIENT_HELLO_LENGTH));
        pending = pending.subarray(CLIENT_HELLO_LENGTH);
        const echo = script.wrongCookieEcho ? randomBytes(COOKIE_LENGTH) : clientHello.clientCookie;
        const helloKey = x25519HSalsa20(keys.secretKey, clientHello.temporaryPublicKey);
        send(
          Buffer.concat([
            serverCookie,
            boxPrecomputed(
              encodeServerChallengeResponse(temporary.publicKey, echo),
              cspNonce(serverCookie, 1n),
              helloKey,
            ),
          ]),
        );
        if (script.closeAfterHello) socket.end();
        stage = 'login';
      }
      if (stage === 'login' && clientHello && pending.length >= LOGIN_DATA_BOX_LENGTH) {
        const sessionKey = x25519HSalsa20(temporary.secretKey, clientHello.temporaryPublicKey);
        const login = decodeLoginData(
          boxOpenPrecomputed(
            pending.subarray(0, LOGIN_DATA_BOX_LENGTH),
            cspNonce(clientHello.clientCookie, 1n),
            sessionKey,
          ),
        );
        const expected = computeVouch(
          deriveVouchKey(
            x25519HSalsa20(keys.secretKey, clientPublicKey),
            x25519HSalsa20(temporary.secretKey, clientPublicKey),
          ),
          serverCookie,
          clientHello.temporaryPublicKey,
        );
        vouchesChecked.push(
          login.vouch.kind === 'v2' && Buffer.from(login.vouch.vouch).equals(Buffer.from(expected)),
        );
        const ack = boxPrecomputed(
          encodeLoginAckData({ serverTimeMs: 1_234n, queuedMessages: 7 }),
          cspNonce(serverCookie, 2n),
          sessionKey,
        );
        const cipher = new CspFrameCipher({
          sessionKey,
          outgoingCookie: serverCookie,
          incomingCookie: clientHello.clientCookie,
        });
        // login-ack and the first frame in one write, as the mailbox sends them
        send(Buffer.concat([ack, cipher.sealPayload(PayloadType.queueSendComplete, new Uint8Array(0))]));
        stage = 'done';
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    keys,
    vouchesChecked,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('connectCsp (the SDK side of the CSP handshake)', () => {
  const client = generateX25519KeyPair();
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const login = (test: TestServer, overrides: { serverPublicKey?: Uint8Array; timeoutMs?: number } = {}) =>
    connectCsp({
      host: '127.0.0.1',
      port: test.port,
      serverPublicKey: overrides.serverPublicKey ?? test.keys.publicKey,
      identity: 'ECHOECHO',
      secretKey: client.secretKey,
      timeoutMs: overrides.timeoutMs ?? 5_000,
    });

  it.each([
    ['in one piece', false],
    ['one byte at a time', true],
  ])(
    'logs in with a valid vouch and hands the frame after login-ack to the session (server bytes %s)',
    async (_name, split) => {
      server = await startServer(client.publicKey, { split });
      const session = await login(server);
      expect(server.vouchesChecked).toEqual([true]);
      expect(session.serverTimeMs).toBe(1_234n);
      expect(session.queuedAtLogin).toBe(7);
      await expect(session.queueSendComplete).resolves.toBeUndefined();
      await session.close();
    },
  );

  it('refuses a server that does not hold the pinned key', async () => {
    server = await startServer(client.publicKey);
    await expect(login(server, { serverPublicKey: generateX25519KeyPair().publicKey })).rejects.toThrow(
      'server-hello does not authenticate: wrong server public key?',
    );
  });

  it('refuses a server-hello that echoes a different client cookie', async () => {
    server = await startServer(client.publicKey, { wrongCookieEcho: true });
    await expect(login(server)).rejects.toThrow('server-hello echoes a different client cookie');
  });

  it('fails when the server closes during the handshake', async () => {
    server = await startServer(client.publicKey, { closeAfterHello: true });
    await expect(login(server)).rejects.toThrow('the server closed the connection during the handshake');
  });

  it('gives up after timeoutMs when the server never answers', async () => {
    server = await startServer(client.publicKey, { silent: true });
    const started = Date.now();
    await expect(login(server, { timeoutMs: 200 })).rejects.toThrow('CSP login timed out');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('fails when nothing listens on the port', async () => {
    const closed = await startServer(client.publicKey);
    await closed.close();
    await expect(login(closed)).rejects.toThrow(/ECONNREFUSED/);
  });
});
