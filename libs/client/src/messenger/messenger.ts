import { isThreemaId, MessageFlag } from '@ots/protocol';

import type { CspCloseInfo, CspLoginOptions, CspSession, IncomingCspMessage } from '../csp/csp-session.types';
import { DirectoryClientError, DirectoryClientErrorCode } from '../directory/directory-error';
import { decodeDeliveryReceiptBody, type DeliveryReceipt } from '../e2e/delivery-receipt-body';
import { E2eError } from '../e2e/e2e-error';
import { DeliveryReceiptStatus, E2eMessageType } from '../e2e/e2e-message-type';
import { decodeIncomingStruct, decryptMessage, type OpenedMessage } from '../e2e/incoming-message';
import { derivePairKeys, type PairKeys } from '../e2e/message-keys';
import { randomMessageId } from '../e2e/outgoing-message';
import { decodeTextBody } from '../e2e/text-body';
import { encryptDeliveryReceipt, encryptTextMessage } from '../e2e/typed-messages';
import { MessengerError, MessengerErrorCode } from './messenger-error';
import type { PublicKeyLookup } from './public-key-cache';

/** Opens a logged-in chat server connection; `connectCsp` from this SDK, or a fake in tests. */
export type CspConnect = (options: CspLoginOptions) => Promise<CspSession>;

/** The `*MY3DATA` system identity that answers "info" with the server's data about the sender (spec §8.1). */
export const MY3DATA_IDENTITY = '*MY3DATA';

export interface ReceivedText {
  readonly from: string;
  readonly text: string;
  readonly messageId: bigint;
  /** Unix milliseconds, as the sender stated it. */
  readonly createdAtMs: number;
  readonly nickname?: string;
  readonly flags: number;
}

export interface ReceivedDeliveryReceipt extends DeliveryReceipt {
  readonly from: string;
}

/** An incoming message that was dropped (acked and discarded) or left on the server (not acked). */
export interface IncomingMessageProblem {
  readonly error: unknown;
  /** true: acked and discarded (it can never be opened); false: not acked, the server delivers it again later. */
  readonly dropped: boolean;
}

/** What the Messenger needs besides the connection itself. */
export interface MessengerIdentityOptions {
  readonly identity: string;
  readonly secretKey: Uint8Array;
  readonly publicKeys: PublicKeyLookup;
  /** Sent in every message's metadata (and in clear to `*` identities, spec §2.1). */
  readonly nickname?: string;
  /** Answer received texts with a delivery receipt "received" unless flag 0x80 forbids it; default false. */
  readonly sendDeliveryReceipts?: boolean;
}

export interface MessengerOptions extends MessengerIdentityOptions {
  readonly connect: CspConnect;
  /** Chat server address and pinned key (from the provisioning file) plus optional login extensions. */
  readonly login: Omit<CspLoginOptions, 'identity' | 'secretKey'>;
}

export interface SendOptions {
  /** spec §2.3 flags; default 0x01 (push the receiver), as for every user-visible message. */
  readonly flags?: number;
  /** Default: a random u64. */
  readonly messageId?: bigint;
}

interface ReplyWaiter {
  resolve(text: ReceivedText): void;
  reject(error: unknown): void;
}

type TextHandler = (text: ReceivedText) => void | Promise<void>;

const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
const RECENT_MESSAGE_LIMIT = 10_000;
const PAIR_KEY_LIMIT = 10_000;

/**
 * A chat client: sends end-to-end encrypted texts (spec §3) over a CSP session and delivers decrypted incoming texts
 * to handlers, acking each (0x82) only once a handler has taken it. Incoming messages are processed one at a time, in
 * the order the server delivers them.
 */
export class Messenger {
  private readonly textHandlers: TextHandler[] = [];
  private readonly receiptHandlers: ((receipt: ReceivedDeliveryReceipt) => void)[] = [];
  private readonly problemHandlers: ((problem: IncomingMessageProblem) => void)[] = [];
  /** Texts that arrived before the first onText handler: delivered (and acked) once one is set. */
  private readonly undelivered: { text: ReceivedText; message: IncomingCspMessage }[] = [];
  private readonly waiters = new Map<string, ReplyWaiter[]>();
  /** sender:message-id of recently handled messages, to drop duplicates (spec §3 dedup is the client's job). */
  private readonly recent = new Set<string>();
  /** Message and metadata keys per peer: one X25519 per peer instead of one per message. */
  private readonly pairKeys = new Map<string, PairKeys>();
  private incoming: Promise<void> = Promise.resolve();
  private closedError: MessengerError | undefined;

  private constructor(
    /** The underlying connection, e.g. for push tokens (0x20/0x24) or echo. */
    readonly session: CspSession,
    private readonly options: MessengerIdentityOptions,
  ) {
    session.onMessage((message) => {
      this.enqueue(() => this.receive(message));
    });
    void session.closed.then(() => {
      this.closedError = new MessengerError(
        MessengerErrorCode.CLOSED,
        'the chat server connection is closed',
      );
      for (const waiters of this.waiters.values())
        for (const waiter of waiters) waiter.reject(this.closedError);
      this.waiters.clear();
    });
  }

  /** Logs in through `options.connect` and starts receiving. */
  static async connect(options: MessengerOptions): Promise<Messenger> {
    const session = await options.connect({
      ...options.login,
      identity: options.identity,
      secretKey: options.secretKey,
    });
    return new Messenger(session, options);
  }

  /** Wraps a session that is already logged in (as `options.identity`). */
  static attach(session: CspSession, options: MessengerIdentityOptions): Messenger {
    return new Messenger(session, options);
  }

  get identity(): string {
    return this.options.identity;
  }

  /** From login-ack: how many messages were queued for us. */
  get queuedAtLogin(): number {
    return this.session.queuedAtLogin;
  }

  /** Resolves once the server has delivered the backlog (0xd0). */
  get queueSendComplete(): Promise<void> {
    return this.session.queueSendComplete;
  }

  /** Resolves when the connection closed, by either side, with the reason. */
  get closed(): Promise<CspCloseInfo> {
    return this.session.closed;
  }

  /** Encrypts and sends a text; resolves with its message ID once the server acked it (0x81). */
  async sendText(to: string, text: string, options: SendOptions = {}): Promise<{ messageId: bigint }> {
    if (!isThreemaId(to))
      throw new MessengerError(MessengerErrorCode.INVALID_INPUT, 'not a valid Threema ID');
    if (this.closedError !== undefined) throw this.closedError;
    const messageId = options.messageId ?? randomMessageId();
    const struct = encryptTextMessage(
      {
        senderIdentity: this.options.identity,
        senderSecretKey: this.options.secretKey,
        receiverIdentity: to,
        ...(await this.keysFor(to)),
        messageId,
        flags: options.flags ?? MessageFlag.SEND_PUSH_NOTIFICATION,
        ...(this.options.nickname === undefined ? {} : { nickname: this.options.nickname }),
      },
      text,
    );
    await this.session.sendMessage(struct);
    return { messageId };
  }

  /** Receives decrypted texts. Each is acked after the handler returned (or its promise resolved). */
  onText(handler: TextHandler): void {
    this.textHandlers.push(handler);
    const backlog = this.undelivered.splice(0);
    this.enqueue(async () => {
      for (const { text, message } of backlog) await this.deliverText(text, message);
    });
  }

  onDeliveryReceipt(handler: (receipt: ReceivedDeliveryReceipt) => void): void {
    this.receiptHandlers.push(handler);
  }

  /** Incoming messages that could not be opened or handled. */
  onProblem(handler: (problem: IncomingMessageProblem) => void): void {
    this.problemHandlers.push(handler);
  }

  /**
   * Sends `text` to `to` and resolves with the next text `to` sends back. That reply goes to this request, not to
   * the onText handlers.
   */
  async request(to: string, text: string, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<ReceivedText> {
    if (this.closedError !== undefined) throw this.closedError;
    let waiter!: ReplyWaiter;
    const reply = new Promise<ReceivedText>((resolve, reject) => {
      waiter = { resolve, reject };
    });
    // a close or the timeout can reject the reply while the send still waits for its ack: the send's failure is
    // what the caller gets then, and the reply's must not become an unhandled rejection (it ends the process)
    reply.catch(() => undefined);
    const queue = this.waiters.get(to) ?? [];
    queue.push(waiter);
    this.waiters.set(to, queue);
    const timer = setTimeout(() => {
      this.removeWaiter(to, waiter);
      waiter.reject(new MessengerError(MessengerErrorCode.TIMEOUT, `no reply within ${timeoutMs} ms`));
    }, timeoutMs);
    try {
      await this.sendText(to, text);
      return await reply;
    } catch (error) {
      this.removeWaiter(to, waiter);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends "info" to `*MY3DATA` and returns its JSON reply, parsed (spec §8.1). */
  async requestDataExport(timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<unknown> {
    const reply = await this.request(MY3DATA_IDENTITY, 'info', timeoutMs);
    try {
      return JSON.parse(reply.text) as unknown;
    } catch {
      throw new MessengerError(
        MessengerErrorCode.UNEXPECTED_REPLY,
        `${MY3DATA_IDENTITY} did not answer with JSON`,
        reply.text,
      );
    }
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  /** Runs incoming work in arrival order; a failure is reported and never stalls the messages after it. */
  private enqueue(work: () => Promise<void>): void {
    this.incoming = this.incoming.then(work).catch((error: unknown) => {
      this.problem(error, false);
    });
  }

  /** The peer's public key and the pair keys derived from it (cached). */
  private async keysFor(peer: string): Promise<{ receiverPublicKey: Uint8Array; pairKeys: PairKeys }> {
    const receiverPublicKey = await this.options.publicKeys.publicKeyOf(peer);
    let pairKeys = this.pairKeys.get(peer);
    if (pairKeys === undefined) {
      pairKeys = derivePairKeys(this.options.secretKey, receiverPublicKey);
      if (this.pairKeys.size >= PAIR_KEY_LIMIT) {
        const oldest = this.pairKeys.keys().next();
        if (oldest.done !== true) this.pairKeys.delete(oldest.value);
      }
      this.pairKeys.set(peer, pairKeys);
    }
    return { receiverPublicKey, pairKeys };
  }

  private removeWaiter(from: string, waiter: ReplyWaiter): void {
    const queue = this.waiters.get(from);
    if (queue === undefined) return;
    const index = queue.indexOf(waiter);
    if (index >= 0) queue.splice(index, 1);
    if (queue.length === 0) this.waiters.delete(from);
  }

  private problem(error: unknown, dropped: boolean): void {
    for (const handler of this.problemHandlers) {
      try {
        handler({ error, dropped });
      } catch {
        // a failing problem handler has nobody left to tell; it must not stop the incoming queue
      }
    }
  }

  private async receive(message: IncomingCspMessage): Promise<void> {
    const opened = await this.open(message);
    if (opened === undefined) return;
    const key = `${opened.senderIdentity}:${String(opened.messageId)}`;
    if (this.recent.has(key)) {
      message.ack();
      return;
    }
    switch (opened.type) {
      case E2eMessageType.TEXT:
        await this.receiveText(opened, message);
        break;
      case E2eMessageType.DELIVERY_RECEIPT:
        this.receiveReceipt(opened, message);
        break;
      default:
        // a type this client does not implement: acked and discarded, like the reference clients do
        this.remember(key);
        message.ack();
    }
  }

  /** Decrypts, or settles what cannot be decrypted: dropped (acked) when hopeless, left queued when transient. */
  private async open(message: IncomingCspMessage): Promise<OpenedMessage | undefined> {
    let keys: { receiverPublicKey: Uint8Array; pairKeys: PairKeys };
    let struct;
    try {
      struct = decodeIncomingStruct(message.struct);
      keys = await this.keysFor(struct.senderIdentity);
    } catch (error) {
      // unknown/revoked sender or a broken struct: nothing will ever open it; other failures may pass
      const hopeless =
        error instanceof E2eError ||
        (error instanceof DirectoryClientError && error.code === DirectoryClientErrorCode.NOT_FOUND);
      if (hopeless) message.ack();
      this.problem(error, hopeless);
      return undefined;
    }
    try {
      return decryptMessage(struct, {
        receiverSecretKey: this.options.secretKey,
        senderPublicKey: keys.receiverPublicKey,
        pairKeys: keys.pairKeys,
        receiverIdentity: this.options.identity,
      });
    } catch (error) {
      message.ack();
      this.problem(error, true);
      return undefined;
    }
  }

  private async receiveText(opened: OpenedMessage, message: IncomingCspMessage): Promise<void> {
    let text: ReceivedText;
    try {
      text = {
        from: opened.senderIdentity,
        text: decodeTextBody(opened.body),
        messageId: opened.messageId,
        createdAtMs: opened.createdAtMs,
        flags: opened.flags,
        ...(opened.nickname === undefined ? {} : { nickname: opened.nickname }),
      };
    } catch (error) {
      message.ack();
      this.problem(error, true);
      return;
    }
    const waiter = this.waiters.get(text.from)?.[0];
    if (waiter !== undefined) {
      this.removeWaiter(text.from, waiter);
      this.settle(text, message);
      waiter.resolve(text);
      return;
    }
    if (this.textHandlers.length === 0) {
      this.undelivered.push({ text, message });
      return;
    }
    await this.deliverText(text, message);
  }

  private async deliverText(text: ReceivedText, message: IncomingCspMessage): Promise<void> {
    try {
      for (const handler of this.textHandlers) await handler(text);
    } catch (error) {
      // not acked: the server keeps it and delivers it again on the next login
      this.problem(error, false);
      return;
    }
    this.settle(text, message);
  }

  /** Ack (0x82), remember against duplicates, and send a delivery receipt when configured. */
  private settle(text: ReceivedText, message: IncomingCspMessage): void {
    this.remember(`${text.from}:${String(text.messageId)}`);
    message.ack();
    const receiptAllowed = (text.flags & MessageFlag.NO_DELIVERY_RECEIPTS) === 0;
    if (this.options.sendDeliveryReceipts === true && receiptAllowed) {
      this.sendReceipt(text.from, text.messageId).catch((error: unknown) => {
        this.problem(error, false);
      });
    }
  }

  private async sendReceipt(to: string, messageId: bigint): Promise<void> {
    const struct = encryptDeliveryReceipt(
      {
        senderIdentity: this.options.identity,
        senderSecretKey: this.options.secretKey,
        receiverIdentity: to,
        ...(await this.keysFor(to)),
        messageId: randomMessageId(),
        flags: 0,
      },
      { status: DeliveryReceiptStatus.RECEIVED, messageIds: [messageId] },
    );
    await this.session.sendMessage(struct);
  }

  private receiveReceipt(opened: OpenedMessage, message: IncomingCspMessage): void {
    try {
      const receipt = decodeDeliveryReceiptBody(opened.body);
      for (const handler of this.receiptHandlers) handler({ from: opened.senderIdentity, ...receipt });
    } catch (error) {
      this.problem(error, true);
    }
    this.remember(`${opened.senderIdentity}:${String(opened.messageId)}`);
    message.ack();
  }

  private remember(key: string): void {
    this.recent.add(key);
    if (this.recent.size > RECENT_MESSAGE_LIMIT) {
      const oldest = this.recent.values().next();
      if (oldest.done !== true) this.recent.delete(oldest.value);
    }
  }
}
