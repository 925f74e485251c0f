import { identitySubjectToken } from '@ots/contracts';
import { randomBytes } from '@ots/crypto';
import type { Msg, NatsConnection, Subscription } from 'nats';

import type { DeliveryRouter, LiveDelivery, LocalHandOver } from '../domain/ports';
import { readStructHeader } from '../domain/struct-header';

// Routing between mailbox instances over core NATS (architecture message path step 3): the instance holding an
// identity's connection subscribes to that identity's subject; nobody keeps a presence table. A subject names
// one identity only; the payload (the sealed struct) is never stored by NATS.
//
// Payload: kind u8 ‖ …
//   0x01 deliver: stored u8 ‖ u64-le accepted-at ms ‖ struct
//   0x02 new login: u64-le login time ms ‖ 16-byte connection ID (older connections close themselves)

const SUBJECT_PREFIX = 'ots.mailbox.identity';
const KIND_DELIVER = 0x01;
const KIND_LOGIN = 0x02;
/** a stored message is waiting in the queue: read it (the struct itself went to a connection on the sender's instance) */
const KIND_QUEUED = 0x03;
const QUEUED_SIGNAL = Uint8Array.of(KIND_QUEUED);
const NO_RESPONDERS = 503;
const PRESENCE_TIMEOUT_MS = 3_000;
/**
 * The NATS work of the logins (and closes) within this window goes out together: one write for their
 * subscriptions and one PING, one PONG back, and then one batch of queue reads. In bench:mailbox logins a 2 ms
 * window halved the NATS server's and PostgreSQL's CPU per login and the mailbox's fell by a sixth (against the end
 * of the event-loop turn, which under load held one login). 4 ms rather than 2 (docs/adr/0029, addendum): 2–7 %
 * more logins/s in each of four adjacent pairs, 0.04–0.09 ms less CPU per login; 8 ms no clear gain. A login takes
 * 4 ms longer at most.
 */
const LOGIN_WINDOW_MS = 4;
/** a login waits at most this long for the NATS server to confirm its subscription */
const REGISTERED_TIMEOUT_MS = 1_000;
const MAX_REPLAY = 10_000;

const NONE: ReadonlySet<never> = new Set<never>();
const NO_HAND_OVER: LocalHandOver = [];

export const identitySubject = (identity: string): string =>
  `${SUBJECT_PREFIX}.${identitySubjectToken(identity)}`;

/** A logged-in connection as the router sees it. */
export interface RoutedConnection {
  readonly identity: string;
  readonly connectionId: Uint8Array;
  readonly loginAtMs: number;
  deliverLive(delivery: LiveDelivery): void;
  /** A newer login of the same identity exists (on any instance): close with "Another connection…". */
  supersede(): void;
  /** Read the queue once more: a stored message is there that no live signal carried here. */
  resync(): void;
}

/** Is login (time a, id a) older than (time b, id b)? A total order, so exactly one of two connections wins. */
export function isOlderLogin(aTime: number, aId: Uint8Array, bTime: number, bId: Uint8Array): boolean {
  if (aTime !== bTime) return aTime < bTime;
  return Buffer.compare(Buffer.from(aId), Buffer.from(bId)) < 0;
}

export class NatsDeliveryRouter<C extends RoutedConnection = RoutedConnection> implements DeliveryRouter {
  private readonly inbox: string;
  private inboxSubscription: Subscription | undefined;
  private readonly presenceWaiters = new Map<
    number,
    { resolve: (online: boolean) => void; timer: NodeJS.Timeout }
  >();
  private nextRequest = 1;
  /**
   * Presence questions under way, per receiver: a message for a receiver already being asked about is published
   * without a question of its own and shares the answer (a burst to an offline receiver was one request, one
   * "no responders" reply and one error object per message; docs/adr/0028).
   */
  private readonly presenceAsked = new Map<string, Promise<boolean>>();
  /** NATS connection losses so far: a presence request that lived through one may have been lost with it */
  private connectionLosses = 0;
  private disconnected = false;
  /**
   * The NATS work of one login window (LOGIN_WINDOW_MS from the first attach or detach in it), done together at
   * its end so that it leaves in one write: the subscriptions (and login announcements) of the connections attached
   * in it, the unsubscriptions of those that closed, and one PING after the subscriptions, whose PONG confirms them
   * (`registered`).
   */
  private window: { readonly registered: Promise<void>; confirm: boolean } | undefined;
  private attaching = new Set<C>();
  private readonly windowMs: number;
  private unsubscribing: Subscription[] = [];
  /** live signals published while disconnected: the NATS client drops them, so they go out again on reconnect */
  private replay: { subject: string; payload: Uint8Array }[] = [];

  /** The connections this instance holds, per identity (usually one; two for a moment during a re-login). */
  private readonly local = new Map<string, Set<C>>();
  /**
   * Each connection's subscription, and the connection by subscription ID: one shared callback serves every
   * subscription, so a connection costs two map entries here rather than closures of its own.
   */
  private readonly subscriptions = new Map<C, Subscription>();
  private readonly bySubscriptionId = new Map<number, C>();
  private readonly onRemoteMessage = (error: Error | null, message: Msg): void => {
    if (error) return;
    const connection = this.bySubscriptionId.get(message.sid);
    if (connection) this.onIdentityMessage(connection, message);
  };

  /**
   * The NATS connection must be made with `noEcho`: this instance delivers to its own connections directly and
   * NATS carries a message only to the other instances (the server does not send our own publishes back to us).
   */
  constructor(
    private readonly connection: () => NatsConnection,
    /** `windowMs`: the login window (default LOGIN_WINDOW_MS; 0 ends it with the event-loop turn) */
    options: { readonly windowMs?: number } = {},
  ) {
    this.windowMs = options.windowMs ?? LOGIN_WINDOW_MS;
    this.inbox = `_INBOX.mailbox.${Buffer.from(randomBytes(8)).toString('hex')}`;
  }

  /** Start listening for presence replies; call once NATS is connected. */
  start(): void {
    const nc = this.connection();
    this.inboxSubscription = nc.subscribe(`${this.inbox}.*`, {
      // nats.js hands a "no responders" status (503) to the callback as an error with the message
      callback: (error, message) => {
        this.onPresenceReply(message, error !== null);
      },
    });
  }

  stop(): void {
    this.inboxSubscription?.unsubscribe();
    for (const waiter of this.presenceWaiters.values()) {
      clearTimeout(waiter.timer);
      waiter.resolve(true);
    }
    this.presenceWaiters.clear();
  }

  /** The NATS connection dropped: requests and replies in flight may be gone with it. */
  connectionLost(): void {
    this.connectionLosses += 1;
    this.disconnected = true;
  }

  /** The connection is back (subscriptions included): send the live signals that the outage swallowed. */
  connectionRestored(): void {
    this.disconnected = false;
    const replay = this.replay;
    this.replay = [];
    const nc = this.connection();
    for (const { subject, payload } of replay) nc.publish(subject, payload);
  }

  /**
   * Route to a logged-in connection: it is one of this instance's connections at once; its subscription and the
   * announcement of the login (older connections close) go to NATS at the end of the login window, with the
   * window's PING (see subscriptionsRegistered).
   */
  attach(connection: C): void {
    let here = this.local.get(connection.identity);
    if (!here) {
      here = new Set();
      this.local.set(connection.identity, here);
    }
    // another connection of the identity on this instance: the older one closes (remote ones hear the announce)
    for (const other of here) {
      if (isOlderLogin(other.loginAtMs, other.connectionId, connection.loginAtMs, connection.connectionId))
        other.supersede();
      else connection.supersede();
    }
    here.add(connection);
    this.attaching.add(connection);
    this.currentWindow().confirm = true;
  }

  /**
   * Resolves once the NATS server has registered the subscriptions made so far: a PING sent after them came back.
   * A login reads the queue only then, so a message whose live signal was published before the subscription
   * existed is in what it reads (docs/adr/0029). On one NATS server that closes the gap; across a cluster,
   * interest spreads to the other servers asynchronously. The logins of one window share one PING, which leaves in
   * the same write as their subscriptions. It does not wait while NATS is away (the reconnect makes every session
   * read its queue again) nor longer than a second. Rejects when the subscriptions could not be made (the NATS
   * connection is closed for good, e.g. during shutdown).
   */
  subscriptionsRegistered(): Promise<void> {
    if (this.disconnected && this.attaching.size === 0) return Promise.resolve();
    const current = this.currentWindow();
    current.confirm = true;
    return current.registered;
  }

  private currentWindow(): { readonly registered: Promise<void>; confirm: boolean } {
    if (this.window) return this.window;
    let settle!: (error?: Error) => void;
    const registered = new Promise<void>((resolve, reject) => {
      settle = (error) => {
        if (error) reject(error);
        else resolve();
      };
    });
    registered.catch(() => undefined); // a window of unsubscriptions only has nobody waiting for it
    const current = { registered, confirm: false };
    this.window = current;
    const send = (): void => {
      this.window = undefined;
      this.sendWindow(current.confirm, settle);
    };
    if (this.windowMs > 0) setTimeout(send, this.windowMs);
    else setImmediate(send);
    return current;
  }

  private sendWindow(confirm: boolean, settle: (error?: Error) => void): void {
    const attaching = this.attaching;
    const unsubscribing = this.unsubscribing;
    this.attaching = new Set();
    this.unsubscribing = [];
    let nc: NatsConnection;
    try {
      nc = this.connection();
      for (const subscription of unsubscribing) subscription.unsubscribe();
      for (const connection of attaching) this.subscribe(nc, connection);
    } catch (error) {
      settle(error instanceof Error ? error : new Error('NATS refused the subscriptions'));
      return;
    }
    if (!confirm || this.disconnected) {
      settle();
      return;
    }
    const timer = setTimeout(() => {
      settle();
    }, REGISTERED_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      settle();
    };
    try {
      // the PING follows the subscriptions in the client's buffer and flushes it: one write for all of them
      nc.flush().then(done, done);
    } catch {
      done(); // no connection to ask: the read goes ahead, as it would while disconnected
    }
  }

  private subscribe(nc: NatsConnection, connection: C): void {
    const subject = identitySubject(connection.identity);
    const subscription = nc.subscribe(subject, { callback: this.onRemoteMessage });
    this.subscriptions.set(connection, subscription);
    this.bySubscriptionId.set(subscription.getID(), connection);
    const announce = new Uint8Array(1 + 8 + 16);
    announce[0] = KIND_LOGIN;
    new DataView(announce.buffer).setBigUint64(1, BigInt(connection.loginAtMs), true);
    announce.set(connection.connectionId, 9);
    nc.publish(subject, announce);
  }

  /** The connection closed: no more deliveries to it. */
  detach(connection: C): void {
    this.attaching.delete(connection); // closed before its subscription went out: none is made
    const subscription = this.subscriptions.get(connection);
    if (subscription) {
      this.subscriptions.delete(connection);
      this.bySubscriptionId.delete(subscription.getID());
      // with the window's other NATS work; messages for it meanwhile find no connection and are dropped
      this.unsubscribing.push(subscription);
      this.currentWindow();
    }
    const set = this.local.get(connection.identity);
    set?.delete(connection);
    if (set?.size === 0) this.local.delete(connection.identity);
  }

  /** This instance's connections of an identity (none: empty). */
  connectionsOf(identity: string): ReadonlySet<C> {
    return this.local.get(identity) ?? NONE;
  }

  /** Every connection this instance holds. */
  *allConnections(): IterableIterator<C> {
    for (const connections of this.local.values()) yield* connections;
  }

  deliverLocally(receiver: string, delivery: LiveDelivery): LocalHandOver {
    const here = this.local.get(receiver);
    if (!here) return NO_HAND_OVER;
    const handedTo = [...here];
    for (const connection of handedTo) connection.deliverLive(delivery);
    return handedTo;
  }

  deliver(
    receiver: string,
    delivery: LiveDelivery,
    needPresence: boolean,
    options: { readonly handedTo?: LocalHandOver } = {},
  ): Promise<boolean> {
    const nc = this.connection();
    const here = this.local.get(receiver);
    // a receiver held here is held elsewhere only during a re-login: the other instance is told to read the stored
    // message from the queue rather than sent a copy of every struct (docs/adr/0028)
    const payload = here && delivery.stored ? QUEUED_SIGNAL : deliveryPayload(delivery);
    // this instance's own connections get it directly, with or without NATS
    // (those that had it before the commit excepted)
    if (here)
      for (const connection of here)
        if (!options.handedTo?.includes(connection)) connection.deliverLive(delivery);
    if (this.disconnected) {
      // the client would drop it (docs/adr/0022): keep it for the reconnect (bounded; beyond that the message
      // still waits in the queue for the receiver's resync or next login), and without presence count offline
      if (this.replay.length < MAX_REPLAY) this.replay.push({ subject: identitySubject(receiver), payload });
      return Promise.resolve(!needPresence || here !== undefined);
    }
    if (!needPresence || here) {
      // other instances may hold a connection too (a re-login in progress): they get it through NATS
      nc.publish(identitySubject(receiver), payload);
      return Promise.resolve(true);
    }
    const asked = this.presenceAsked.get(receiver);
    if (asked) {
      nc.publish(identitySubject(receiver), payload);
      return asked;
    }
    const requestId = this.nextRequest++;
    const lossesAtRequest = this.connectionLosses;
    const answer = new Promise<boolean>((resolve) => {
      // no answer at all (not even NATS's "no responders") means an overloaded system, not an offline receiver:
      // assume online rather than flood the push queue; the message stays queued either way. Unless the NATS
      // connection dropped meanwhile: then the question or its answer was lost, and a receiver with a queued
      // message and no wake-up would not learn of it, so count it offline (docs/adr/0022)
      const timer = setTimeout(() => {
        this.presenceWaiters.delete(requestId);
        resolve(this.connectionLosses === lossesAtRequest);
      }, PRESENCE_TIMEOUT_MS);
      this.presenceWaiters.set(requestId, { resolve, timer });
      nc.publish(identitySubject(receiver), payload, { reply: `${this.inbox}.${String(requestId)}` });
    });
    this.presenceAsked.set(receiver, answer);
    void answer.then(() => this.presenceAsked.delete(receiver));
    return answer;
  }

  private onPresenceReply(message: Msg, failed: boolean): void {
    const requestId = Number(message.subject.slice(this.inbox.length + 1));
    const waiter = this.presenceWaiters.get(requestId);
    if (!waiter) return; // a second instance answered too, or it came after the timeout
    this.presenceWaiters.delete(requestId);
    clearTimeout(waiter.timer);
    waiter.resolve(!failed && message.headers?.code !== NO_RESPONDERS);
  }

  private onIdentityMessage(connection: RoutedConnection, message: Msg): void {
    const data = message.data;
    if (data[0] === KIND_DELIVER && data.length > 10) {
      const acceptedAtMs = Number(new DataView(data.buffer, data.byteOffset + 2, 8).getBigUint64(0, true));
      const struct = data.subarray(10);
      connection.deliverLive({
        struct,
        header: readStructHeader(struct),
        stored: data[1] === 1,
        acceptedAtMs,
      });
      if (message.reply) message.respond();
      return;
    }
    if (data[0] === KIND_QUEUED) {
      connection.resync();
      return;
    }
    if (data[0] === KIND_LOGIN && data.length === 25) {
      const loginAtMs = Number(new DataView(data.buffer, data.byteOffset + 1, 8).getBigUint64(0, true));
      const connectionId = data.subarray(9, 25);
      if (Buffer.from(connectionId).equals(Buffer.from(connection.connectionId))) return;
      if (isOlderLogin(connection.loginAtMs, connection.connectionId, loginAtMs, connectionId))
        connection.supersede();
    }
  }
}

function deliveryPayload(delivery: LiveDelivery): Uint8Array {
  const payload = new Uint8Array(1 + 1 + 8 + delivery.struct.length);
  payload[0] = KIND_DELIVER;
  payload[1] = delivery.stored ? 1 : 0;
  new DataView(payload.buffer).setBigUint64(2, BigInt(delivery.acceptedAtMs), true);
  payload.set(delivery.struct, 10);
  return payload;
}
