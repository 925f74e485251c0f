import { connect as connectTcp, type Socket } from 'node:net';

import {
  boxOpenPrecomputed,
  boxPrecomputed,
  computeVouch,
  deriveVouchKey,
  generateX25519KeyPair,
  memzero,
  randomBytes,
  x25519HSalsa20,
} from '@ots/crypto';
import {
  COOKIE_LENGTH,
  CspFrameCipher,
  cspNonce,
  decodeContainer,
  decodeLoginAckData,
  decodeMessageAck,
  decodeServerChallengeResponse,
  encodeClientHello,
  encodeLoginData,
  encodeLoginExtensions,
  encodeMessageAck,
  FrameSplitter,
  LOGIN_ACK_LENGTH,
  PayloadType,
  SERVER_HELLO_LENGTH,
  SupportedFeature,
} from '@ots/protocol';

import type { CspCloseInfo, CspLoginOptions, CspSession, IncomingCspMessage } from './csp-session.types';
import { permanentSharedSecret } from './permanent-shared-secret';

// spec §1.3 (client side of the handshake), §1.5 framing, §1.6 payloads.

const DEFAULT_FEATURES = SupportedFeature.messageWithMetadataBox | SupportedFeature.receivesEchoRequests;
const NO_SERVER_ACK = 0x04;
const MAX_BUFFERED_INCOMING = 100_000;
const DEFAULT_CLIENT_INFO = '0.1;B;en/US;node;x64';
const EMPTY: Buffer = Buffer.alloc(0);

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** The client's side of the handshake (spec §1.3), one step per message from the server. */
class ClientHandshake {
  private readonly temporary = generateX25519KeyPair();
  private readonly clientCookie = randomBytes(COOKIE_LENGTH);
  private serverCookie: Uint8Array | undefined;
  private sessionKey: Uint8Array | undefined;

  constructor(private readonly options: CspLoginOptions) {}

  clientHello(): Uint8Array {
    return encodeClientHello({
      temporaryPublicKey: this.temporary.publicKey,
      clientCookie: this.clientCookie,
    });
  }

  /** Checks server-hello and answers with the login box and the extensions box. */
  answerServerHello(serverHello: Uint8Array): Buffer {
    const { options, temporary, clientCookie } = this;
    const serverCookie = serverHello.subarray(0, COOKIE_LENGTH);
    if (Buffer.from(serverCookie).equals(Buffer.from(clientCookie)))
      throw new Error('server cookie equals ours');
    const helloKey = x25519HSalsa20(temporary.secretKey, options.serverPublicKey);
    let challenge;
    try {
      challenge = decodeServerChallengeResponse(
        boxOpenPrecomputed(serverHello.subarray(COOKIE_LENGTH), cspNonce(serverCookie, 1n), helloKey),
      );
    } catch {
      throw new Error('server-hello does not authenticate: wrong server public key?');
    } finally {
      memzero(helloKey);
    }
    if (!Buffer.from(challenge.clientCookieEcho).equals(Buffer.from(clientCookie))) {
      throw new Error('server-hello echoes a different client cookie');
    }
    const sessionKey = x25519HSalsa20(temporary.secretKey, challenge.serverTemporaryPublicKey);
    this.serverCookie = serverCookie;
    this.sessionKey = sessionKey;

    // spec §1.3 vouch (v2); SS1 is the same at every login with these keys
    const ss1 = permanentSharedSecret(options.secretKey, options.serverPublicKey);
    const ss2 = x25519HSalsa20(options.secretKey, challenge.serverTemporaryPublicKey);
    const vouchKey = deriveVouchKey(ss1, ss2);
    const vouch = computeVouch(vouchKey, serverCookie, temporary.publicKey);
    memzero(ss2);
    memzero(vouchKey);

    const extensions = encodeLoginExtensions({
      clientInfo: options.clientInfo ?? DEFAULT_CLIENT_INFO,
      supportedFeatures: options.supportedFeatures ?? DEFAULT_FEATURES,
      ...(options.deviceId === undefined ? {} : { cspDeviceId: options.deviceId }),
      ...(options.deviceCookie ? { deviceCookie: options.deviceCookie } : {}),
    });
    const extensionsBox = boxPrecomputed(extensions, cspNonce(clientCookie, 2n), sessionKey);
    const loginData = encodeLoginData({
      identity: options.identity,
      extensionsBoxLength: extensionsBox.length,
      serverCookie,
      vouch,
    });
    return Buffer.concat([boxPrecomputed(loginData, cspNonce(clientCookie, 1n), sessionKey), extensionsBox]);
  }

  /** Checks login-ack; the session continues with the frame cipher. */
  finish(ackBox: Uint8Array): { cipher: CspFrameCipher; serverTimeMs: bigint; queuedMessages: number } {
    const { serverCookie, sessionKey } = this;
    if (!serverCookie || !sessionKey) throw new Error('login-ack before server-hello');
    let ack;
    try {
      ack = decodeLoginAckData(boxOpenPrecomputed(ackBox, cspNonce(serverCookie, 2n), sessionKey));
    } catch {
      throw new Error('login-ack does not authenticate');
    }
    memzero(this.temporary.secretKey);
    const cipher = new CspFrameCipher({
      sessionKey,
      outgoingCookie: this.clientCookie,
      incomingCookie: serverCookie,
    });
    return { cipher, serverTimeMs: ack.serverTimeMs, queuedMessages: ack.queuedMessages };
  }
}

/**
 * Connects, performs the handshake and resolves with a logged-in session (rejects on any failure). One data
 * handler drives the handshake as the server's bytes arrive; whatever follows login-ack in the same read goes to
 * the session.
 */
export function connectCsp(options: CspLoginOptions): Promise<CspSession> {
  return new Promise<CspSession>((resolve, reject) => {
    const socket = connectTcp({ host: options.host, port: options.port, noDelay: true });
    let handshake: ClientHandshake;
    let awaiting: 'server-hello' | 'login-ack' = 'server-hello';
    let pending = EMPTY;
    const finish = (): void => {
      clearTimeout(timeout);
      socket.off('data', onData);
      socket.off('close', onEarlyClose);
      socket.off('error', fail);
    };
    function fail(error: Error): void {
      finish();
      socket.destroy();
      reject(error);
    }
    function onData(chunk: Buffer): void {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      try {
        if (awaiting === 'server-hello') {
          if (pending.length < SERVER_HELLO_LENGTH) return;
          socket.write(handshake.answerServerHello(pending.subarray(0, SERVER_HELLO_LENGTH)));
          pending = pending.subarray(SERVER_HELLO_LENGTH);
          awaiting = 'login-ack';
        }
        if (pending.length < LOGIN_ACK_LENGTH) return;
        const { cipher, serverTimeMs, queuedMessages } = handshake.finish(
          pending.subarray(0, LOGIN_ACK_LENGTH),
        );
        finish();
        resolve(
          new CspClientSession(
            socket,
            cipher,
            options.identity,
            serverTimeMs,
            queuedMessages,
            pending.subarray(LOGIN_ACK_LENGTH),
          ),
        );
      } catch (error) {
        fail(asError(error));
      }
    }
    function onEarlyClose(): void {
      fail(new Error('the server closed the connection during the handshake'));
    }
    const timeout = setTimeout(() => {
      fail(new Error('CSP login timed out'));
    }, options.timeoutMs ?? 10_000);
    socket.on('data', onData);
    socket.on('close', onEarlyClose);
    socket.on('error', fail);
    try {
      handshake = new ClientHandshake(options);
      socket.write(handshake.clientHello());
    } catch (error) {
      fail(asError(error));
    }
  });
}

interface PendingSend {
  resolve: () => void;
  reject: (error: Error) => void;
}

class CspClientSession implements CspSession {
  readonly queueSendComplete: Promise<void>;
  readonly closed: Promise<CspCloseInfo>;
  private resolveQueueComplete!: () => void;
  private resolveClosed!: (info: CspCloseInfo) => void;
  private readonly splitter = new FrameSplitter();
  private readonly pendingAcks = new Map<string, PendingSend[]>();
  private messageHandler: ((message: IncomingCspMessage) => void) | undefined;
  private alertHandler: ((text: string) => void) | undefined;
  private readonly buffered: IncomingCspMessage[] = [];
  private readonly echoes: { sentAt: number; resolve: (rtt: number) => void }[] = [];
  private closeInfo: { closeErrorMessage?: string; canReconnect?: boolean } = {};
  private isClosed = false;
  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  constructor(
    private readonly socket: Socket,
    private readonly cipher: CspFrameCipher,
    readonly identity: string,
    readonly serverTimeMs: bigint,
    readonly queuedAtLogin: number,
    early: Buffer,
  ) {
    this.queueSendComplete = new Promise((resolve) => {
      this.resolveQueueComplete = resolve;
    });
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    socket.on('data', (chunk: Buffer) => {
      this.onData(chunk);
    });
    socket.on('error', (error) => {
      this.finish(error);
    });
    socket.on('close', () => {
      this.finish();
    });
    if (early.length > 0) this.onData(early);
  }

  sendMessage(struct: Uint8Array): Promise<void> {
    if (this.isClosed) return Promise.reject(new Error('connection closed'));
    const receiver = Buffer.from(struct.subarray(8, 16)).toString('latin1');
    const messageId = new DataView(struct.buffer, struct.byteOffset + 16, 8).getBigUint64(0, true);
    const flags = struct[28];
    this.write(PayloadType.outgoingMessage, struct);
    if ((flags & NO_SERVER_ACK) !== 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const key = `${receiver}:${messageId.toString()}`;
      const waiters = this.pendingAcks.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pendingAcks.set(key, [{ resolve, reject }]);
    });
  }

  onMessage(handler: (message: IncomingCspMessage) => void): void {
    this.messageHandler = handler;
    for (const message of this.buffered.splice(0)) handler(message);
  }

  onAlert(handler: (text: string) => void): void {
    this.alertHandler = handler;
  }

  setPushToken(tokenType: number, token: Uint8Array, voip = false): void {
    this.write(
      voip ? PayloadType.setVoipPushNotificationToken : PayloadType.setPushNotificationToken,
      Buffer.concat([Uint8Array.of(tokenType), token]),
    );
  }

  deletePushTokens(deviceIds: readonly bigint[]): void {
    const data = new Uint8Array(deviceIds.length * 8);
    const view = new DataView(data.buffer);
    deviceIds.forEach((id, index) => {
      view.setBigUint64(index * 8, id, true);
    });
    this.write(PayloadType.deletePushNotificationToken, data);
  }

  unblockIncomingMessages(): void {
    this.write(PayloadType.unblockIncomingMessages, new Uint8Array(0));
  }

  echo(): Promise<number> {
    return new Promise((resolve) => {
      this.echoes.push({ sentAt: performance.now(), resolve });
      this.write(PayloadType.echoRequest, randomBytes(8));
    });
  }

  /** For tests of hostile input (cspTestHooks): any container, raw bytes, or a sealed frame kept for later. */
  sendContainer(type: number, data: Uint8Array): void {
    this.write(type, data);
  }

  sendRawBytes(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  sealFrame(type: number, data: Uint8Array): Uint8Array {
    return this.cipher.sealPayload(type, data);
  }

  async close(): Promise<void> {
    if (!this.isClosed) this.socket.end();
    await this.closed;
  }

  private write(type: number, data: Uint8Array): void {
    if (this.isClosed) return;
    // frames written in one turn of the event loop leave in one system call
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.socket.write(this.cipher.sealPayload(type, data));
  }

  private onData(chunk: Buffer): void {
    try {
      for (const box of this.splitter.push(chunk)) {
        const container = decodeContainer(this.cipher.open(box));
        this.onContainer(container.type, container.data);
      }
    } catch (error) {
      this.socket.destroy();
      this.finish(asError(error));
    }
  }

  private onContainer(type: number, data: Uint8Array): void {
    switch (type) {
      case PayloadType.incomingMessage:
        this.onIncoming(data);
        return;
      case PayloadType.outgoingMessageAck: {
        const ack = decodeMessageAck(data);
        const key = `${ack.identity}:${ack.messageId.toString()}`;
        const waiters = this.pendingAcks.get(key);
        this.pendingAcks.delete(key);
        for (const waiter of waiters ?? []) waiter.resolve();
        return;
      }
      case PayloadType.queueSendComplete:
        this.resolveQueueComplete();
        return;
      case PayloadType.echoRequest:
        this.write(PayloadType.echoResponse, data);
        return;
      case PayloadType.echoResponse: {
        const pending = this.echoes.shift();
        pending?.resolve(performance.now() - pending.sentAt);
        return;
      }
      case PayloadType.closeError:
        this.closeInfo = {
          canReconnect: data[0] !== 0,
          closeErrorMessage: Buffer.from(data.subarray(1)).toString('utf8'),
        };
        return;
      case PayloadType.alert:
        this.alertHandler?.(Buffer.from(data).toString('utf8'));
        return;
      default:
        return; // 0xd2 and anything newer: nothing to do for this client
    }
  }

  private onIncoming(struct: Uint8Array): void {
    const senderIdentity = Buffer.from(struct.subarray(0, 8)).toString('latin1');
    const messageId = new DataView(struct.buffer, struct.byteOffset + 16, 8).getBigUint64(0, true);
    const flags = struct[28];
    let acked = false;
    const message: IncomingCspMessage = {
      struct,
      senderIdentity,
      messageId,
      flags,
      ack: () => {
        if (acked || (flags & NO_SERVER_ACK) !== 0) return;
        acked = true;
        this.write(PayloadType.incomingMessageAck, encodeMessageAck({ identity: senderIdentity, messageId }));
      },
    };
    if (this.messageHandler) this.messageHandler(message);
    else if (this.buffered.length < MAX_BUFFERED_INCOMING) this.buffered.push(message);
  }

  private finish(error?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.pendingAcks.size > 0) {
      const reason = new Error(this.closeInfo.closeErrorMessage ?? error?.message ?? 'connection closed');
      for (const waiters of this.pendingAcks.values()) for (const waiter of waiters) waiter.reject(reason);
      this.pendingAcks.clear();
    }
    this.resolveClosed({ ...this.closeInfo, ...(error ? { error } : {}) });
  }
}

/** Hooks for testing how a server treats hostile input; a real client never needs them. */
export interface CspTestHooks {
  /** An arbitrary container (type and data), properly encrypted. */
  sendContainer(type: number, data: Uint8Array): void;
  /** Bytes written to the socket as they are (e.g. a bogus frame length). */
  sendRawBytes(bytes: Uint8Array): void;
  /** Seals a frame with the next nonce without sending it (to replay or reorder frames). */
  sealFrame(type: number, data: Uint8Array): Uint8Array;
}

export function cspTestHooks(session: CspSession): CspTestHooks {
  if (!(session instanceof CspClientSession)) throw new Error('not a session made by connectCsp');
  return session;
}
