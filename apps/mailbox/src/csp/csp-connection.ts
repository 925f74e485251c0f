import type { Socket } from 'node:net';

import { randomBytes } from '@ots/crypto';
import {
  CLIENT_HELLO_LENGTH,
  type CspFrameCipher,
  decodeContainer,
  encodeCloseError,
  FrameSplitter,
  LOGIN_DATA_BOX_LENGTH,
  type LoginData,
  type LoginExtensions,
  PayloadType,
  ProtocolError,
} from '@ots/protocol';

import type { LoginState, VerifiedLogin } from '../domain/login.service';
import { LoginFailure, LoginRefusedError } from '../domain/mailbox-error';
import type { MailboxSession, SessionOutput } from '../domain/mailbox-session';
import { ServerHandshake, type ServerPermanentKey } from './server-handshake';

/** What a connection needs from the server around it. */
export interface ConnectionHost {
  readonly serverKey: ServerPermanentKey;
  readonly handshakeTimeoutMs: number;
  readonly idleTimeoutS: number;
  /** Directory look-up and vouch (refusals reject with LoginRefusedError). */
  authenticate(
    handshake: ServerHandshake,
    loginData: LoginData,
    extensions: LoginExtensions | undefined,
    source: string,
  ): Promise<VerifiedLogin>;
  /** Builds the session of a verified login and routes live messages to it; it sends nothing until started. */
  openSession(login: VerifiedLogin, output: SessionOutput, connectionId: Uint8Array): MailboxSession;
  /** Device cookie and queue count, read once the session is routed to. */
  loginState(login: VerifiedLogin, extensions: LoginExtensions | undefined): Promise<LoginState>;
  /** login-ack is sent. */
  loggedIn(session: MailboxSession): void;
  /** The connection closed: stop routing to its session. */
  closeSession(session: MailboxSession): void;
  loginOutcome(outcome: string): void;
  protocolError(reason: string): void;
  closed(connection: CspConnection): void;
}

type Phase = 'hello' | 'login' | 'extensions' | 'authenticating' | 'established' | 'closed';

/** Bytes a client may send ahead during the handshake (it should wait for login-ack; be a little lenient). */
const MAX_EARLY_BYTES = 64 * 1024;
const WRITE_HIGH_WATER_MARK = 1024 * 1024;
const CLOSE_LINGER_MS = 1_000;
const EMPTY = Buffer.alloc(0);

// Socket events go to module-level functions that find their connection on the socket: tens of thousands of idle
// connections then hold no listener closures of their own (bench:mailbox idle, memory per connection).
const CONNECTION = Symbol('csp connection');
type ConnectionSocket = Socket & { [CONNECTION]?: CspConnection };

function onSocketData(this: ConnectionSocket, chunk: Buffer): void {
  this[CONNECTION]?.onData(chunk);
}
function onSocketDrain(this: ConnectionSocket): void {
  this[CONNECTION]?.session?.resume();
}
function onSocketTimeoutOrError(this: ConnectionSocket): void {
  this[CONNECTION]?.terminate();
}
function onSocketClose(this: ConnectionSocket): void {
  this[CONNECTION]?.teardown();
}
function uncorkConnection(connection: CspConnection): void {
  connection.uncork();
}

/**
 * One TCP connection of the chat server: the raw-bytes handshake (spec §1.3), then frames (spec §1.5) handed to
 * the session as containers. Any malformed input ends this connection only — with close-error where the
 * protocol allows one (after login-ack) — and never throws out of a socket callback.
 */
export class CspConnection implements SessionOutput {
  readonly connectionId = randomBytes(16);
  private phase: Phase = 'hello';
  private pending: Buffer = EMPTY;
  /** handshake state: dropped once the connection is established (it is per-connection memory) */
  private handshake: ServerHandshake | undefined;
  private loginData: LoginData | undefined;
  private extensionsLength = 0;
  private cipher: CspFrameCipher | undefined;
  private readonly splitter = new FrameSplitter();
  /** the logged-in session, once login-ack is sent */
  session: MailboxSession | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private readPaused = false;
  private corked = false;

  constructor(
    private readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    this.handshake = new ServerHandshake(host.serverKey);
    socket.setNoDelay(true);
    socket.setTimeout(host.idleTimeoutS * 1000);
    (socket as ConnectionSocket)[CONNECTION] = this;
    socket.on('data', onSocketData);
    socket.on('drain', onSocketDrain);
    socket.on('timeout', onSocketTimeoutOrError);
    socket.on('error', onSocketTimeoutOrError);
    socket.on('close', onSocketClose);
    this.handshakeTimer = setTimeout(() => {
      if (this.phase !== 'established' && this.phase !== 'closed') {
        this.host.loginOutcome(LoginFailure.Timeout);
        this.terminate();
      }
    }, host.handshakeTimeoutMs);
  }

  // ---- SessionOutput ----

  send(type: number, data: Uint8Array): void {
    if (this.phase !== 'established' || !this.cipher) return;
    this.corkForThisTurn();
    this.socket.write(this.cipher.sealPayload(type, data));
  }

  /** What is written in this turn of the event loop leaves in one system call. */
  private corkForThisTurn(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(uncorkConnection, this);
  }

  uncork(): void {
    this.corked = false;
    this.socket.uncork();
  }

  close(closeError?: { readonly canReconnect: boolean; readonly message: string }): void {
    if (this.phase === 'closed') return;
    if (closeError)
      this.send(PayloadType.closeError, encodeCloseError(closeError.canReconnect, closeError.message));
    this.phase = 'closed';
    this.session?.close();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_LINGER_MS).unref();
  }

  setIdleTimeout(seconds: number): void {
    this.socket.setTimeout(seconds * 1000);
  }

  get congested(): boolean {
    return this.socket.writableLength > WRITE_HIGH_WATER_MARK;
  }

  pauseReading(paused: boolean): void {
    if (paused === this.readPaused) return;
    this.readPaused = paused;
    if (paused) this.socket.pause();
    else this.socket.resume();
  }

  // ---- input ----

  onData(chunk: Buffer): void {
    try {
      if (this.phase === 'established') {
        this.onFrames(chunk);
        return;
      }
      if (this.phase === 'closed') return;
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      if (this.pending.length > MAX_EARLY_BYTES) {
        this.fail('handshake_overflow');
        return;
      }
      this.advanceHandshake();
    } catch (error) {
      this.onInputError(error);
    }
  }

  private advanceHandshake(): void {
    const handshake = this.handshake;
    if (!handshake) return;
    for (;;) {
      if (this.phase === 'hello' && this.pending.length >= CLIENT_HELLO_LENGTH) {
        const hello = this.take(CLIENT_HELLO_LENGTH);
        this.socket.write(handshake.answerClientHello(hello));
        this.phase = 'login';
        continue;
      }
      if (this.phase === 'login' && this.pending.length >= LOGIN_DATA_BOX_LENGTH) {
        this.loginData = handshake.openLoginData(this.take(LOGIN_DATA_BOX_LENGTH));
        const indicator = this.loginData.extensionIndicator;
        if (indicator.kind === 'extensions') {
          this.extensionsLength = indicator.extensionsBoxLength;
          this.phase = 'extensions';
          continue;
        }
        this.startAuthentication(undefined);
        return;
      }
      if (this.phase === 'extensions' && this.pending.length >= this.extensionsLength) {
        const extensions = handshake.openExtensions(this.take(this.extensionsLength));
        this.startAuthentication(extensions);
        return;
      }
      return;
    }
  }

  private take(length: number): Buffer {
    const bytes = this.pending.subarray(0, length);
    this.pending = this.pending.subarray(length);
    return bytes;
  }

  private startAuthentication(extensions: LoginExtensions | undefined): void {
    const loginData = this.loginData;
    const handshake = this.handshake;
    if (!loginData || !handshake) return;
    this.phase = 'authenticating';
    this.host
      .authenticate(handshake, loginData, extensions, this.socket.remoteAddress ?? 'unknown')
      .then(async (login) => {
        if (this.phase !== 'authenticating') return; // the client went away meanwhile
        // routed to before the queue count is read, so that a message stored after the read reaches it as a live
        // signal (docs/adr/0009); it holds back what it would send until login-ack is out
        this.session = this.host.openSession(login, this, this.connectionId);
        this.establish(await this.host.loginState(login, extensions));
      })
      .catch((error: unknown) => {
        if (this.phase === 'closed') return;
        if (error instanceof LoginRefusedError) {
          this.host.loginOutcome(error.failure);
        } else {
          this.host.loginOutcome(LoginFailure.Unavailable);
        }
        this.terminate();
      });
  }

  private establish(state: LoginState): void {
    if (this.phase !== 'authenticating') return; // the client went away meanwhile
    const handshake = this.handshake;
    const session = this.session;
    if (!handshake || !session) return;
    clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
    // login-ack and what the session sends as it starts (0xd2, the first messages, 0xd0) leave in one system call
    this.corkForThisTurn();
    this.socket.write(handshake.loginAck(BigInt(Date.now()), state.queuedMessages));
    this.cipher = handshake.frameCipher();
    handshake.eraseTemporaryKey();
    this.handshake = undefined;
    this.loginData = undefined;
    this.phase = 'established';
    this.host.loginOutcome('ok');
    this.host.loggedIn(session);
    session.start(state);
    const early = this.pending;
    // (an empty view would still hold the whole last chunk it was cut from)
    this.pending = EMPTY;
    if (early.length > 0) this.onData(early);
  }

  private onFrames(chunk: Buffer): void {
    const cipher = this.cipher;
    const session = this.session;
    if (!cipher || !session) return;
    for (const box of this.splitter.push(chunk)) {
      if (this.phase !== 'established') return;
      const container = decodeContainer(cipher.open(box));
      session.handle(container.type, container.data);
    }
  }

  private onInputError(error: unknown): void {
    if (!(error instanceof ProtocolError)) {
      this.host.protocolError('internal');
      this.close({ canReconnect: true, message: 'Internal server error' });
      return;
    }
    if (this.phase === 'established') {
      this.host.protocolError(error.code.toLowerCase());
      this.close({ canReconnect: false, message: `Protocol error: ${error.message}` });
      return;
    }
    this.host.loginOutcome(LoginFailure.Malformed);
    this.terminate();
  }

  private fail(reason: string): void {
    this.host.protocolError(reason);
    this.terminate();
  }

  /** Close without a close-error (before login-ack there is no way to send one). */
  terminate(): void {
    if (this.phase === 'closed') {
      this.socket.destroy();
      return;
    }
    this.phase = 'closed';
    this.session?.close();
    this.socket.destroy();
  }

  teardown(): void {
    clearTimeout(this.handshakeTimer);
    this.phase = 'closed';
    this.cipher?.erase();
    this.handshake?.eraseTemporaryKey();
    this.handshake = undefined;
    if (this.session) {
      this.session.close();
      this.host.closeSession(this.session);
    }
    this.host.closed(this);
  }
}
