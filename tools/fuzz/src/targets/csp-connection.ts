import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

import { boxOpenPrecomputed, boxPrecomputed, x25519HSalsa20, x25519PublicKeyFromSecret } from '@ots/crypto';
import { encodeClientHello, LOGIN_DATA_LENGTH } from '@ots/protocol';

// eslint-disable-next-line @nx/enforce-module-boundaries -- the fuzzer drives the mailbox's own connection code (docs/adr/0023)
import { type ConnectionHost, CspConnection } from '../../../../apps/mailbox/src/csp/csp-connection';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the type of what its host returns (docs/adr/0023)
import type { VerifiedLogin } from '../../../../apps/mailbox/src/domain/login.service';
import { type FuzzTarget, hex, PropertyViolation } from './target';

// The mailbox's CspConnection in its handshake phase (spec §1.3): it buffers the client's raw bytes, cuts the
// client-hello, the login box and the extensions box (whose length comes from the login-data), and ends the
// connection on malformed input. Fed through a fake socket in fuzzed chunk sizes, either raw bytes or — playing a
// real client — boxes of fuzzed plaintexts. Property: nothing escapes the socket callback, no input is
// classified as an internal error, and no more than the early-data limit is ever buffered.

const SERVER_SECRET = new Uint8Array(32).fill(0x01);
const SERVER_KEY = { secretKey: SERVER_SECRET, publicKey: x25519PublicKeyFromSecret(SERVER_SECRET) };
const CLIENT_TEMPORARY_SECRET = new Uint8Array(32).fill(0x03);
const CLIENT_TEMPORARY_PUBLIC = x25519PublicKeyFromSecret(CLIENT_TEMPORARY_SECRET);
const HELLO_KEY = x25519HSalsa20(CLIENT_TEMPORARY_SECRET, SERVER_KEY.publicKey);

const RAW_STREAM = 0x01;
const ECHO_SERVER_COOKIE = 0x02;

class FakeSocket extends EventEmitter {
  readonly written: Uint8Array[] = [];
  readonly remoteAddress = '127.0.0.1';
  readonly writableLength = 0;
  destroyed = false;

  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  write(bytes: Uint8Array): boolean {
    this.written.push(bytes);
    return true;
  }
  end(): this {
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    return this;
  }
  cork(): void {
    // nothing buffered here
  }
  uncork(): void {
    // nothing buffered here
  }
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
}

class RecordingHost implements ConnectionHost {
  readonly serverKey = SERVER_KEY;
  readonly handshakeTimeoutMs = 60_000;
  readonly idleTimeoutS = 60;
  readonly protocolErrors: string[] = [];
  authenticated = false;

  authenticate(): Promise<VerifiedLogin> {
    this.authenticated = true;
    // stays pending: this target covers the byte handling up to authentication
    return new Promise<VerifiedLogin>(() => undefined);
  }
  openSession(): never {
    throw new PropertyViolation('a session opened without authentication');
  }
  loginState(): never {
    throw new PropertyViolation('login state read without authentication');
  }
  loggedIn(): never {
    throw new PropertyViolation('logged in without authentication');
  }
  closeSession(): never {
    throw new PropertyViolation('a session closed that was never opened');
  }
  loginOutcome(): void {
    // outcomes are counted by the real host; any value is fine here
  }
  protocolError(reason: string): void {
    this.protocolErrors.push(reason);
  }
  closed(): void {
    // the real host forgets the connection
  }
}

function nonce(cookie: Uint8Array, sequenceNumber: number): Uint8Array {
  const out = new Uint8Array(24);
  out.set(cookie);
  new DataView(out.buffer).setBigUint64(16, BigInt(sequenceNumber), true);
  return out;
}

/** Pushes `stream` in chunks whose sizes follow from `seed`; stops once the connection is destroyed. */
function feed(socket: FakeSocket, stream: Uint8Array, seed: number): void {
  let state = seed | 1;
  let offset = 0;
  while (offset < stream.length && !socket.destroyed) {
    state = (state * 33 + 7) & 0xff;
    const end = Math.min(stream.length, offset + 1 + (state & 0x80 ? 200 * (state & 0x7f) : state));
    socket.emit('data', Buffer.from(stream.subarray(offset, end)));
    offset = end;
  }
}

/**
 * body = flags ‖ chunk seed ‖ then either the raw stream (RAW_STREAM) or CCK (16) ‖ login-data plaintext (128) ‖
 * extensions plaintext length u16-le ‖ extensions plaintext ‖ trailing bytes.
 */
function runConnection(body: Uint8Array): void {
  if (body.length < 2) return;
  const flags = body[0];
  const seed = body[1];
  const rest = body.subarray(2);
  const socket = new FakeSocket();
  const host = new RecordingHost();
  new CspConnection(socket as unknown as Socket, host);
  try {
    if (flags & RAW_STREAM || rest.length < 16 + LOGIN_DATA_LENGTH + 2) {
      feed(socket, rest, seed);
    } else {
      const clientCookie = rest.slice(0, 16);
      const plaintext = rest.slice(16, 16 + LOGIN_DATA_LENGTH);
      const view = new DataView(rest.buffer, rest.byteOffset + 16 + LOGIN_DATA_LENGTH, 2);
      const extensionsLength = view.getUint16(0, true);
      const extensionsStart = 16 + LOGIN_DATA_LENGTH + 2;
      const extensions = rest.subarray(extensionsStart, extensionsStart + extensionsLength);
      const trailing = rest.subarray(extensionsStart + extensions.length);
      feed(socket, encodeClientHello({ temporaryPublicKey: CLIENT_TEMPORARY_PUBLIC, clientCookie }), seed);
      const serverHello = socket.written.at(0);
      if (!serverHello || socket.destroyed) return;
      const serverCookie = serverHello.subarray(0, 16);
      const challenge = boxOpenPrecomputed(serverHello.subarray(16), nonce(serverCookie, 1), HELLO_KEY);
      const sessionKey = x25519HSalsa20(CLIENT_TEMPORARY_SECRET, challenge.subarray(0, 32));
      if (flags & ECHO_SERVER_COOKIE) plaintext.set(serverCookie, 40);
      const stream = Buffer.concat([
        boxPrecomputed(plaintext, nonce(clientCookie, 1), sessionKey),
        boxPrecomputed(extensions, nonce(clientCookie, 2), sessionKey),
        trailing,
      ]);
      feed(socket, stream, seed);
    }
    if (host.protocolErrors.includes('internal')) {
      throw new PropertyViolation('client bytes were classified as an internal server error');
    }
  } finally {
    // ends the connection as a closed socket would (clears its handshake timer)
    socket.emit('close');
  }
}

const EXAMPLE_EXTENSIONS = hex('001d00312e303b513b656e2f55533b6e6f64653b32303b6c696e75783b78363402010003');

function exampleLoginData(): Uint8Array {
  const bytes = new Uint8Array(LOGIN_DATA_LENGTH);
  bytes.set(Buffer.from('0HPT9EWD', 'latin1'), 0);
  bytes.set(Buffer.from('threema-clever-extension-field', 'latin1'), 8);
  new DataView(bytes.buffer).setUint16(38, EXAMPLE_EXTENSIONS.length + 16, true);
  return bytes;
}

function u16(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, value >> 8);
}

export const cspConnectionTarget: FuzzTarget = {
  name: 'csp-connection',
  coverage: ['apps/mailbox/src/csp/csp-connection.ts', 'apps/mailbox/src/csp/server-handshake.ts'],
  dictionary: [
    Buffer.from('threema-clever-extension-field', 'latin1'),
    Buffer.from('0HPT9EWD', 'latin1'),
    new Uint8Array(32),
    Uint8Array.of(0xff, 0xff),
    Uint8Array.of(ECHO_SERVER_COOKIE),
  ].map((bytes) => new Uint8Array(bytes)),
  maxInputLength: 70_000,
  run(input) {
    runConnection(input);
  },
  seeds() {
    const clientCookie = new Uint8Array(16).fill(0x11);
    return [
      {
        name: 'login-with-extensions',
        bytes: new Uint8Array(
          Buffer.concat([
            Uint8Array.of(ECHO_SERVER_COOKIE, 0x05),
            clientCookie,
            exampleLoginData(),
            u16(EXAMPLE_EXTENSIONS.length),
            EXAMPLE_EXTENSIONS,
          ]),
        ),
      },
      {
        name: 'raw-client-hello',
        bytes: new Uint8Array(
          Buffer.concat([Uint8Array.of(RAW_STREAM, 0x30), CLIENT_TEMPORARY_PUBLIC, clientCookie]),
        ),
      },
    ];
  },
};
