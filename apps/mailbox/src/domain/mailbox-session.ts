import {
  decodeDeletePushTokens,
  decodeIdleTimeout,
  decodeLegacyMessage,
  decodeMessageAck,
  decodeMessageWithMetadataBox,
  encodeAlert,
  encodeLegacyMessage,
  encodeMessageAck,
  encodeMessageWithMetadataBox,
  hasMessageFlag,
  MessageFlag,
  OBSOLETE_PAYLOAD_TYPES,
  PayloadType,
  ProtocolError,
  ProtocolErrorCode,
  SupportedFeature,
  toLegacyMessage,
  toMessageWithMetadataBox,
  validateMessageWithMetadataBox,
} from '@ots/protocol';

import type { AcceptMessage } from './accept-message';
import type { LoginState, VerifiedLogin } from './login.service';
import { MessageRejection } from './mailbox-error';
import type {
  DeviceCookies,
  LiveDelivery,
  MailboxTelemetry,
  MessageStore,
  PushTokenRegistry,
  QueuedMessage,
} from './ports';
import { headerOf, type StructHeader } from './struct-header';

/** What a session needs from its connection: encrypted containers out, and closing. */
export interface SessionOutput {
  send(type: number, data: Uint8Array): void;
  /** close-error (0xe0) then close; without a message just close */
  close(closeError?: { readonly canReconnect: boolean; readonly message: string }): void;
  setIdleTimeout(seconds: number): void;
  /** true while the socket's write buffer is above its high-water mark */
  readonly congested: boolean;
  /** stop reading from the socket (too many messages being stored) or resume */
  pauseReading(paused: boolean): void;
}

export interface SessionSettings {
  /** delivered-but-unacknowledged messages per connection before delivery waits */
  readonly deliveryWindow: number;
  /** outgoing messages being stored at once per connection before reading pauses */
  readonly maxPendingAccepts: number;
}

export interface SessionDependencies {
  readonly store: MessageStore;
  readonly accept: AcceptMessage;
  readonly pushTokens: PushTokenRegistry;
  readonly cookies: DeviceCookies;
  readonly telemetry: MailboxTelemetry;
  readonly onBackgroundError: (what: string, error: unknown) => void;
}

interface InFlight {
  readonly stored: boolean;
  /** the commit still running when it was delivered (see LiveDelivery.committed) */
  readonly committed: Promise<boolean> | undefined;
}

const BACKLOG_PAGE = 500;
/** acknowledged keys whose delete failed stay skipped, up to this many (the rows expire) */
const RECENTLY_ACKED_LIMIT = 10_000;

// Idle connections (tens of thousands per instance) share these until they deliver or acknowledge something: a
// map and a set of their own cost about 300 bytes per connection (bench:mailbox idle)
const NOTHING_IN_FLIGHT: ReadonlyMap<string, InFlight> = new Map();
const NOTHING_ACKED: ReadonlySet<string> = new Set();

const keyOf = (sender: string, messageId: bigint): string => `${sender}:${messageId.toString()}`;

/**
 * One logged-in CSP connection (spec §1.6–§1.7): handles the client's payloads and delivers the identity's
 * messages — first the backlog in arrival order, then 0xd0, then live messages — within a window of
 * unacknowledged deliveries. Sans I/O: the connection gives it an output, the router feeds it live messages.
 */
export class MailboxSession {
  readonly identity: string;
  /** when this connection logged in (of two logins of one identity, the older closes) */
  readonly loginAtMs: number;
  /** delivered, not yet acknowledged (an idle connection shares one empty map: see `track`) */
  private inFlight: ReadonlyMap<string, InFlight> = NOTHING_IN_FLIGHT;
  /**
   * Acknowledged keys a queue read could still return: until the delete committed, and, if a read was running at
   * that moment, until that read finished (its snapshot may predate the commit). Reads of one session run one
   * after the other, so later reads cannot see the row. Keys leave within milliseconds: holding them for a fixed
   * time instead kept ~150,000 keys alive at 5,000 messages/s, and the young-generation GC copied every one.
   */
  private recentlyAcked: ReadonlySet<string> = NOTHING_ACKED;
  private readInFlight = false;
  /** keys whose delete committed while the current read ran: forgotten once it finished */
  private committedDuringRead: string[] = [];
  private pendingLive: LiveDelivery[] = [];
  private backlogCursor = 0n;
  private backlogDone = false;
  /** queue passes requested / requested-count covered by the pass in progress / completed */
  private readRequested = 1;
  private passCovers = 0;
  private readCompleted = 0;
  private pumping = false;
  /** nothing goes out before login-ack: the session exists (and is routed to) from just before the login's read */
  private started = false;
  private pendingAccepts = 0;
  private closed = false;
  /** spec §1.7 (inferred): multi-device connections receive nothing until 0x03 */
  private blocked: boolean;

  constructor(
    private readonly login: VerifiedLogin,
    private readonly output: SessionOutput,
    private readonly deps: SessionDependencies,
    private readonly settings: SessionSettings,
    now: () => number = Date.now,
    /** random, per connection: orders two logins in the same millisecond */
    readonly connectionId: Uint8Array = new Uint8Array(16),
  ) {
    this.identity = login.identity;
    this.loginAtMs = now();
    this.blocked = login.deviceId !== undefined;
  }

  /**
   * After login-ack: the device-cookie indication if due, then the backlog. `state` was read after this session was
   * routed to (docs/adr/0009: subscribe first, then read): if it found the queue empty, the first pass over the
   * queue would find nothing either, so 0xd0 goes out at once; a message stored since then arrives as a live signal,
   * which asks for a pass of its own.
   */
  start(state: LoginState): void {
    this.started = true;
    if (state.deviceCookieChangePending)
      this.output.send(PayloadType.deviceCookieChangeIndication, new Uint8Array(0));
    if (state.queuedMessages === 0 && !this.blocked && !this.closed) {
      this.passCovers = 1; // the pass every session begins with (readRequested starts at 1)
      this.finishQueuePass();
    }
    this.pump();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Called when the socket has drained its write buffer. */
  resume(): void {
    this.pump();
  }

  /** The directory revoked this identity: end the connection, no reconnect (logins are refused from now on). */
  revoke(): void {
    this.output.close({ canReconnect: false, message: 'This identity has been revoked' });
  }

  /** A newer login of the same identity exists, on this or another instance: this connection goes. */
  supersede(): void {
    this.output.close({
      canReconnect: false,
      message: 'Another connection for the same identity has been established',
    });
  }

  close(): void {
    this.closed = true;
    this.pendingLive = [];
  }

  /** A live message for this identity from any instance (already committed when `stored`). */
  deliverLive(delivery: LiveDelivery): void {
    if (this.closed) return;
    if (this.pendingLive.length >= this.settings.deliveryWindow) {
      // too far behind: a stored message will be reread from the queue; an unstored (flag 0x02) one is dropped
      if (delivery.stored) {
        this.deps.telemetry.queueReread('live_overflow');
        this.readQueueOnceCommitted(delivery.committed);
      }
      return;
    }
    if (delivery.stored && (!this.backlogDone || this.blocked)) {
      // the queue read in progress (or the one after 0x03) finds it; its commit may be behind the read cursor,
      // so read once more after this pass
      this.deps.telemetry.queueReread(this.blocked ? 'blocked' : 'during_backlog');
      this.readQueueOnceCommitted(delivery.committed);
      return;
    }
    this.pendingLive.push(delivery);
    this.pump();
  }

  /**
   * Live signals may have been lost (the NATS connection dropped and came back): read the queue once more, so a
   * message stored meanwhile is delivered now rather than at the next login (docs/adr/0022).
   */
  resync(): void {
    if (this.closed) return;
    this.requestQueueRead();
  }

  /** A queue read that is to find a message must begin after its commit (a failed commit left nothing to find). */
  private readQueueOnceCommitted(committed: Promise<boolean> | undefined): void {
    if (!committed) {
      this.requestQueueRead();
      return;
    }
    void committed.then((ok) => {
      if (ok && !this.closed) this.requestQueueRead();
    });
  }

  /** Ask for (another) pass over the queue; passes start at the oldest message and skip what is in flight. */
  private requestQueueRead(): void {
    this.readRequested += 1;
    this.pump();
  }

  handle(type: number, data: Uint8Array): void {
    switch (type) {
      case PayloadType.echoRequest:
        this.output.send(PayloadType.echoResponse, data);
        return;
      case PayloadType.echoResponse:
        return; // we send no echo requests of our own
      case PayloadType.outgoingMessage:
        this.acceptOutgoing(data);
        return;
      case PayloadType.incomingMessageAck:
        this.acknowledge(data);
        return;
      case PayloadType.unblockIncomingMessages:
        this.blocked = false;
        this.requestQueueRead();
        return;
      case PayloadType.setPushNotificationToken:
      case PayloadType.setVoipPushNotificationToken:
        this.setPushToken(type === PayloadType.setVoipPushNotificationToken, data);
        return;
      case PayloadType.deletePushNotificationToken: {
        const deviceIds = decodeDeletePushTokens(data);
        this.background(
          'push token delete',
          this.deps.pushTokens.deleteTokens(this.identity, deviceIds, this.login.deviceId ?? 0n),
        );
        return;
      }
      case PayloadType.setConnectionIdleTimeout:
        this.output.setIdleTimeout(decodeIdleTimeout(data));
        return;
      case PayloadType.clearDeviceCookieChangeIndication:
        this.background('device cookie', this.deps.cookies.clearChangePending(this.identity));
        return;
      default:
        if (OBSOLETE_PAYLOAD_TYPES.has(type)) return;
        // be lenient with payload types we do not know (newer clients): count and ignore
        this.deps.telemetry.protocolError('unknown_payload_type');
    }
  }

  private acceptOutgoing(data: Uint8Array): void {
    const { struct, header } = this.normaliseOutgoing(data);
    if (header.sender !== this.identity) {
      this.deps.telemetry.rejected(MessageRejection.SenderMismatch);
      this.output.close({
        canReconnect: false,
        message: 'Sender identity does not match the logged-in identity',
      });
      return;
    }
    this.pendingAccepts += 1;
    if (this.pendingAccepts >= this.settings.maxPendingAccepts) this.output.pauseReading(true);
    this.deps.accept
      .execute(struct, header)
      .then((outcome) => {
        if (this.closed) return;
        if (outcome.kind === 'refused') {
          this.deps.telemetry.rejected(outcome.reason);
          this.output.send(PayloadType.alert, encodeAlert(outcome.alert));
          return;
        }
        if (outcome.kind === 'dropped') this.deps.telemetry.rejected(outcome.reason);
        else this.deps.telemetry.accepted();
        if (!hasMessageFlag(header.flags, MessageFlag.NO_SERVER_ACK)) {
          this.output.send(
            PayloadType.outgoingMessageAck,
            encodeMessageAck({ identity: header.receiver, messageId: header.messageId }),
          );
        }
      })
      .catch((error: unknown) => {
        // not stored, so not acked: the client keeps the message and sends it again after reconnecting
        this.deps.onBackgroundError('store message', error);
        if (!this.closed)
          this.output.close({ canReconnect: true, message: 'Temporary server error, please reconnect' });
      })
      .finally(() => {
        this.pendingAccepts -= 1;
        if (this.pendingAccepts === this.settings.maxPendingAccepts - 1) this.output.pauseReading(false);
      });
  }

  /**
   * Outgoing structs are stored in the metadata-box variant; legacy clients (no bit 0) send legacy-message.
   * Decoding validates every length (throws ProtocolError) and gives the header the rest of the path uses.
   */
  private normaliseOutgoing(data: Uint8Array): { struct: Uint8Array; header: StructHeader } {
    // the metadata-box variant is passed on as it came: validated and its envelope read, no field copied
    if (this.usesMetadataBox) return { struct: data, header: headerOf(validateMessageWithMetadataBox(data)) };
    const message = toMessageWithMetadataBox(decodeLegacyMessage(data));
    return { struct: encodeMessageWithMetadataBox(message), header: headerOf(message) };
  }

  private get usesMetadataBox(): boolean {
    return (this.login.supportedFeatures & SupportedFeature.messageWithMetadataBox) !== 0;
  }

  private acknowledge(data: Uint8Array): void {
    const ack = decodeMessageAck(data);
    const key = keyOf(ack.identity, ack.messageId);
    const entry = this.inFlight.get(key);
    if (!entry) return; // duplicate or stale ack: nothing to delete
    (this.inFlight as Map<string, InFlight>).delete(key); // not the shared empty map: it held the key
    this.deps.telemetry.acked();
    if (entry.stored) {
      this.rememberAcked(key);
      void this.deleteOnceCommitted(ack.identity, ack.messageId, entry.committed).then((deleted) => {
        if (!deleted) return; // the row stays until it expires: keep skipping it (bounded)
        if (this.readInFlight) this.committedDuringRead.push(key);
        else this.forgetAcked(key);
      });
    }
    this.pump();
  }

  /**
   * Deletes a delivered message's row; a delete must not overtake its insert, so one delivered during its commit
   * waits for it. Resolves true once no row is left (deleted, or never committed).
   */
  private async deleteOnceCommitted(
    sender: string,
    messageId: bigint,
    committed: Promise<boolean> | undefined,
  ): Promise<boolean> {
    if (committed && !(await committed)) return true;
    return this.deps.store.delete({ receiver: this.identity, sender, messageId });
  }

  private rememberAcked(key: string): void {
    if (this.recentlyAcked === NOTHING_ACKED) this.recentlyAcked = new Set<string>();
    const acked = this.recentlyAcked as Set<string>;
    acked.add(key);
    if (acked.size > RECENTLY_ACKED_LIMIT) {
      const oldest = acked.values().next();
      if (!oldest.done) acked.delete(oldest.value);
    }
  }

  private forgetAcked(key: string): void {
    if (this.recentlyAcked !== NOTHING_ACKED) (this.recentlyAcked as Set<string>).delete(key);
  }

  private setPushToken(voip: boolean, data: Uint8Array): void {
    if (data.length < 1 || data.length > 256) {
      throw new ProtocolError(ProtocolErrorCode.INVALID_FIELD, 'push token payload must be 1..256 bytes');
    }
    this.background(
      'push token',
      this.deps.pushTokens.setToken(
        this.identity,
        this.login.deviceId ?? 0n,
        voip,
        data[0],
        data.subarray(1),
      ),
    );
  }

  private background(what: string, work: Promise<void>): void {
    work.catch((error: unknown) => {
      this.deps.onBackgroundError(what, error);
    });
  }

  /** (a method, so that the check after an await is not narrowed away) */
  private isClosed(): boolean {
    return this.closed;
  }

  private get windowFull(): boolean {
    return this.inFlight.size >= this.settings.deliveryWindow || this.output.congested;
  }

  /** Delivers as much as the window allows: backlog pages from the queue, then live messages. */
  private pump(): void {
    if (this.pumping || this.closed || this.blocked || !this.started) return;
    this.pumping = true;
    this.pumpAsync()
      .catch((error: unknown) => {
        this.deps.onBackgroundError('deliver backlog', error);
        if (!this.closed)
          this.output.close({ canReconnect: true, message: 'Temporary server error, please reconnect' });
      })
      .finally(() => {
        this.pumping = false;
        // work that arrived after the loop's last look (it was still marked as running) must not wait for the
        // next ack or message to be noticed: that wait was the open-loop benchmark's latency tail
        if (this.hasDeliverableWork()) this.pump();
      });
  }

  private hasDeliverableWork(): boolean {
    if (this.closed || this.blocked || this.windowFull) return false;
    return this.pendingLive.length > 0 || this.readCompleted !== this.readRequested;
  }

  private async pumpAsync(): Promise<void> {
    while (!this.closed && !this.blocked && !this.windowFull) {
      if (this.readCompleted !== this.readRequested) {
        if (this.backlogCursor === 0n) this.passCovers = this.readRequested;
        const limit = Math.min(BACKLOG_PAGE, this.settings.deliveryWindow - this.inFlight.size);
        this.readInFlight = true;
        let page: readonly QueuedMessage[];
        try {
          page = await this.deps.store.backlog(this.identity, this.backlogCursor, limit);
        } finally {
          this.readInFlight = false;
        }
        if (this.isClosed()) return;
        for (const message of page) {
          this.backlogCursor = message.seq;
          const key = keyOf(message.sender, message.messageId);
          if (this.inFlight.has(key) || this.recentlyAcked.has(key)) continue;
          this.write(message.struct, message, true, message.queuedAt.getTime(), undefined);
        }
        // the page is handled: what was deleted while it was read cannot come back in a later read
        for (const key of this.committedDuringRead) this.forgetAcked(key);
        this.committedDuringRead = [];
        if (page.length < limit) this.finishQueuePass();
        continue;
      }
      const next = this.pendingLive.shift();
      if (!next) return;
      const key = keyOf(next.header.sender, next.header.messageId);
      if (this.inFlight.has(key) || this.recentlyAcked.has(key)) continue;
      this.write(next.struct, next.header, next.stored, next.acceptedAtMs, next.committed);
    }
  }

  private finishQueuePass(): void {
    this.backlogCursor = 0n;
    this.readCompleted = this.passCovers;
    if (!this.backlogDone) {
      this.backlogDone = true;
      this.output.send(PayloadType.queueSendComplete, new Uint8Array(0));
    }
  }

  /** One incoming message (0x02), in the version this client understands. */
  private write(
    struct: Uint8Array,
    header: { readonly sender: string; readonly messageId: bigint; readonly flags: number },
    stored: boolean,
    acceptedAtMs: number | undefined,
    committed: Promise<boolean> | undefined,
  ): void {
    const data = this.usesMetadataBox
      ? struct
      : encodeLegacyMessage(toLegacyMessage(decodeMessageWithMetadataBox(struct)));
    this.output.send(PayloadType.incomingMessage, data);
    this.deps.telemetry.delivered(acceptedAtMs);
    if (hasMessageFlag(header.flags, MessageFlag.NO_SERVER_ACK)) {
      // the receiver will not ack (spec §2.3 0x04): delivered is done
      // (a failed delete is reported by the store; the row expires, and the receiver drops a repeat by ID)
      if (stored) void this.deleteOnceCommitted(header.sender, header.messageId, committed);
      return;
    }
    if (this.inFlight === NOTHING_IN_FLIGHT) this.inFlight = new Map<string, InFlight>();
    (this.inFlight as Map<string, InFlight>).set(keyOf(header.sender, header.messageId), {
      stored,
      committed,
    });
  }
}
