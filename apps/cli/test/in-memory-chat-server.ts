import type { CspConnect } from '@ots/client';
import { decodeMessageWithMetadataBox } from '@ots/protocol';

type CspSession = Awaited<ReturnType<CspConnect>>;
type CspLoginOptions = Parameters<CspConnect>[0];
type IncomingCspMessage = Parameters<Parameters<CspSession['onMessage']>[0]>[0];
type CspCloseInfo = Awaited<CspSession['closed']>;

interface Queued {
  readonly struct: Uint8Array;
  readonly senderIdentity: string;
  readonly messageId: bigint;
  readonly flags: number;
}

/**
 * A minimal in-memory chat server behind the SDK's own CspSession interface, for the CLI's command tests:
 * store-and-forward per receiver, delete on ack, "Another connection" on a second login.
 */
export class InMemoryChatServer {
  private readonly queues = new Map<string, Queued[]>();
  private readonly sessions = new Map<string, FakeSession>();

  readonly connect: CspConnect = (options: CspLoginOptions) => {
    this.sessions
      .get(options.identity)
      ?.closeWith({ closeErrorMessage: 'Another connection for the same identity' });
    const queue = this.queued(options.identity);
    const session = new FakeSession(this, options.identity, queue.length);
    this.sessions.set(options.identity, session);
    for (const item of queue) session.deliver(item);
    return Promise.resolve(session);
  };

  queued(identity: string): Queued[] {
    let queue = this.queues.get(identity);
    if (queue === undefined) {
      queue = [];
      this.queues.set(identity, queue);
    }
    return queue;
  }

  accept(sender: string, struct: Uint8Array): void {
    const message = decodeMessageWithMetadataBox(struct);
    if (message.senderIdentity !== sender) throw new Error('sender spoofing');
    const item = { struct, senderIdentity: sender, messageId: message.messageId, flags: message.flags };
    this.queued(message.receiverIdentity).push(item);
    this.sessions.get(message.receiverIdentity)?.deliver(item);
  }

  acked(receiver: string, item: Queued): void {
    const queue = this.queued(receiver);
    const index = queue.indexOf(item);
    if (index >= 0) queue.splice(index, 1);
  }

  disconnected(identity: string, session: FakeSession): void {
    if (this.sessions.get(identity) === session) this.sessions.delete(identity);
  }
}

class FakeSession implements CspSession {
  readonly serverTimeMs = BigInt(Date.now());
  readonly queueSendComplete = Promise.resolve();
  readonly closed: Promise<CspCloseInfo>;
  private handler: ((message: IncomingCspMessage) => void) | undefined;
  private readonly buffered: IncomingCspMessage[] = [];
  private resolveClosed!: (info: CspCloseInfo) => void;
  private isClosed = false;

  constructor(
    private readonly server: InMemoryChatServer,
    readonly identity: string,
    readonly queuedAtLogin: number,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  sendMessage(struct: Uint8Array): Promise<void> {
    if (this.isClosed) return Promise.reject(new Error('connection closed'));
    this.server.accept(this.identity, struct);
    return Promise.resolve();
  }

  onMessage(handler: (message: IncomingCspMessage) => void): void {
    this.handler = handler;
    for (const message of this.buffered.splice(0)) handler(message);
  }

  onAlert(): void {
    // no alerts in memory
  }

  setPushToken(): void {
    // no push in memory
  }

  deletePushTokens(): void {
    // no push in memory
  }

  unblockIncomingMessages(): void {
    // never blocked
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
    const message: IncomingCspMessage = {
      struct: item.struct,
      senderIdentity: item.senderIdentity,
      messageId: item.messageId,
      flags: item.flags,
      ack: () => {
        if (!this.isClosed) this.server.acked(this.identity, item);
      },
    };
    if (this.handler === undefined) this.buffered.push(message);
    else this.handler(message);
  }

  closeWith(info: CspCloseInfo): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.server.disconnected(this.identity, this);
    this.resolveClosed(info);
  }
}
