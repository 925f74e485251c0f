import { decodeMessageWithMetadataBox, MessageFlag } from '@ots/protocol';

import type {
  CspCloseInfo,
  CspLoginOptions,
  CspSession,
  IncomingCspMessage,
} from '../src/csp/csp-session.types';

interface Queued {
  readonly struct: Uint8Array;
  readonly senderIdentity: string;
  readonly messageId: bigint;
  readonly flags: number;
}

/**
 * An in-memory stand-in for the chat server behind our own CspSession interface (not a mock of any library):
 * store-and-forward per receiver, delete on ack, redelivery of unacked messages at the next login, and
 * "Another connection" for a second login. Enough to unit-test code built on CspSession.
 */
export class InMemoryChatServer {
  readonly logins: CspLoginOptions[] = [];
  private readonly queues = new Map<string, Queued[]>();
  private readonly sessions = new Map<string, FakeCspSession>();

  readonly connect = (options: CspLoginOptions): Promise<CspSession> => {
    this.logins.push(options);
    this.sessions
      .get(options.identity)
      ?.closeWith({ closeErrorMessage: 'Another connection for the same identity' });
    const queue = this.queueOf(options.identity);
    const session = new FakeCspSession(this, options.identity, queue.length);
    this.sessions.set(options.identity, session);
    for (const item of queue) session.deliver(item);
    session.markQueueSendComplete();
    return Promise.resolve(session);
  };

  /** Messages stored for `identity` and not yet acked. */
  queued(identity: string): readonly Queued[] {
    return this.queueOf(identity);
  }

  accept(sender: string, struct: Uint8Array): void {
    const message = decodeMessageWithMetadataBox(struct);
    if (message.senderIdentity !== sender) throw new Error('sender spoofing');
    const item = { struct, senderIdentity: sender, messageId: message.messageId, flags: message.flags };
    const online = this.sessions.get(message.receiverIdentity);
    if ((message.flags & MessageFlag.NO_SERVER_QUEUING) !== 0 && online === undefined) return;
    this.queueOf(message.receiverIdentity).push(item);
    online?.deliver(item);
  }

  acked(receiver: string, item: Queued): void {
    const queue = this.queueOf(receiver);
    const index = queue.indexOf(item);
    if (index >= 0) queue.splice(index, 1);
  }

  disconnected(identity: string, session: FakeCspSession): void {
    if (this.sessions.get(identity) === session) this.sessions.delete(identity);
  }

  private queueOf(identity: string): Queued[] {
    let queue = this.queues.get(identity);
    if (queue === undefined) {
      queue = [];
      this.queues.set(identity, queue);
    }
    return queue;
  }
}

class FakeCspSession implements CspSession {
  readonly serverTimeMs = BigInt(Date.now());
  readonly queueSendComplete: Promise<void>;
  readonly closed: Promise<CspCloseInfo>;
  readonly pushTokens: { tokenType: number; token: Uint8Array; voip: boolean }[] = [];
  private handler: ((message: IncomingCspMessage) => void) | undefined;
  private readonly buffered: IncomingCspMessage[] = [];
  private resolveQueueSendComplete!: () => void;
  private resolveClosed!: (info: CspCloseInfo) => void;
  private isClosed = false;

  constructor(
    private readonly server: InMemoryChatServer,
    readonly identity: string,
    readonly queuedAtLogin: number,
  ) {
    this.queueSendComplete = new Promise((resolve) => (this.resolveQueueSendComplete = resolve));
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  sendMessage(struct: Uint8Array): Promise<void> {
    if (this.isClosed) return Promise.reject(new Error('connection closed'));
    try {
      this.server.accept(this.identity, struct);
    } catch (error) {
      this.closeWith({ closeErrorMessage: 'Invalid message' });
      return Promise.reject(error instanceof Error ? error : new Error('refused'));
    }
    return Promise.resolve();
  }

  onMessage(handler: (message: IncomingCspMessage) => void): void {
    this.handler = handler;
    for (const message of this.buffered.splice(0)) handler(message);
  }

  onAlert(): void {
    // the in-memory server sends no alerts
  }

  setPushToken(tokenType: number, token: Uint8Array, voip = false): void {
    this.pushTokens.push({ tokenType, token, voip });
  }

  deletePushTokens(): void {
    this.pushTokens.length = 0;
  }

  unblockIncomingMessages(): void {
    // single-device sessions are never blocked
  }

  echo(): Promise<number> {
    return Promise.resolve(0);
  }

  close(): Promise<void> {
    this.closeWith({});
    return Promise.resolve();
  }

  deliver(item: Queued): void {
    if (this.isClosed) return;
    let acked = false;
    const message: IncomingCspMessage = {
      struct: item.struct,
      senderIdentity: item.senderIdentity,
      messageId: item.messageId,
      flags: item.flags,
      ack: () => {
        if (acked || this.isClosed || (item.flags & MessageFlag.NO_SERVER_ACK) !== 0) return;
        acked = true;
        this.server.acked(this.identity, item);
      },
    };
    // spec §2.3 flag 0x04: no acks at all, so the server forgets the message once delivered
    if ((item.flags & MessageFlag.NO_SERVER_ACK) !== 0) this.server.acked(this.identity, item);
    if (this.handler === undefined) this.buffered.push(message);
    else this.handler(message);
  }

  markQueueSendComplete(): void {
    this.resolveQueueSendComplete();
  }

  closeWith(info: CspCloseInfo): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.server.disconnected(this.identity, this);
    this.resolveClosed(info);
  }
}
