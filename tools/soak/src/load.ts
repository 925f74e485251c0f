// The mixed load: messages between online clients, messages to offline receivers that drain after their wake-up,
// reconnecting logins, directory look-ups, contact-sync matches and *MY3DATA exports, each on its own open-loop
// schedule. Everything is checked as it runs (a wrong answer is an error) and every message is accounted for.
import {
  connectCsp,
  type CreatedIdentity,
  type CspSession,
  DirectoryClient,
  Messenger,
  MY3DATA_IDENTITY,
  PublicKeyCache,
  randomMessageId,
} from '@ots/client';
import { randomBytes } from '@ots/crypto';
import { encodeMessageWithMetadataBox } from '@ots/protocol';
import type { PushFakes } from '@ots/push-fakes';

import { MessageLedger, RecentDeliveries } from './message-ledger';
import { errorKind, OperationStats, runOpenLoop } from './open-loop';
import type { SoakOptions } from './options';
import { type Population, unknownHash } from './population';
import { LatencyHistogram } from './stats';

const FCM = 0x11;
const PUSH_FLAG = 0x01;
const BODY_BYTES = 1024;
const WAKEUP_TIMEOUT_MS = 30_000;
const RECONNECT_DELAY_MS = 1_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface CspEndpoint {
  readonly host: string;
  readonly port: number;
  readonly serverPublicKey: Uint8Array;
}

/** A 1 KiB message struct (the server sees only ciphertext: the box is random bytes). */
function messageStruct(sender: string, receiver: string, messageId: bigint, flags: number): Uint8Array {
  return encodeMessageWithMetadataBox({
    senderIdentity: sender,
    receiverIdentity: receiver,
    messageId,
    createdAt: Math.floor(Date.now() / 1000),
    flags,
    legacySenderNickname: new Uint8Array(32),
    metadataContainer: new Uint8Array(0),
    nonce: randomBytes(24),
    messageBox: randomBytes(BODY_BYTES),
  });
}

/** Counts the push fakes' accepted FCM requests per device token, reading only what arrived since last time. */
class WakeupCounter {
  private readonly perToken = new Map<string, number>();

  constructor(private readonly fakes: PushFakes) {}

  countFor(token: string): number {
    // the fakes keep every request they answered; take them out so the harness's memory stays flat too
    for (const push of this.fakes.state.received.splice(0)) {
      const message = (push.body as { message?: { token?: unknown } } | undefined)?.message;
      if (push.provider === 'fcm' && push.status === 200 && typeof message?.token === 'string')
        this.perToken.set(message.token, (this.perToken.get(message.token) ?? 0) + 1);
    }
    return this.perToken.get(token) ?? 0;
  }

  get total(): number {
    return this.fakes.state.counts.fcm;
  }
}

type OfflineState = 'offline' | 'closing' | 'online';

export class SoakLoad {
  readonly ledger = new MessageLedger();
  private readonly recent = new RecentDeliveries();
  readonly deliveryLatency = new LatencyHistogram();
  readonly wakeupLatency = new LatencyHistogram();
  readonly stats = {
    online: new OperationStats('online message (send→ack)'),
    offline: new OperationStats('offline message (send→ack)'),
    drains: new OperationStats('offline receiver: wake-up, login, drain'),
    logins: new OperationStats('CSP login + echo + close'),
    lookups: new OperationStats('directory GET identity'),
    bulk: new OperationStats('directory fetch_bulk'),
    matches: new OperationStats('contact-sync match_token + match'),
    exports: new OperationStats('*MY3DATA info export'),
    connections: new OperationStats('persistent connections (unexpected closes)'),
  };
  wakeupsMissing = 0;
  drainsIncomplete = 0;
  private readonly senders: (CspSession | undefined)[] = [];
  private readonly receivers: (CspSession | undefined)[] = [];
  private readonly exporters: (Messenger | undefined)[] = [];
  private readonly exporterBusy = new Set<number>();
  private readonly loginBusy = new Set<number>();
  private readonly offlineState: OfflineState[] = [];
  private readonly offlineTokens: string[] = [];
  /** sends to an offline receiver not yet answered: the receiver waits for them before it drains */
  private readonly offlinePending: number[] = [];
  private readonly offlineAckedInWindow: number[] = [];
  private offlineCycles: Promise<void>[] = [];
  private stopLoops: (() => Promise<void>)[] = [];
  private running = false;
  private closing = false;
  private readonly wakeups: WakeupCounter;
  private readonly directory: DirectoryClient;
  private readonly contactSync: DirectoryClient;
  private readonly publicKeys: PublicKeyCache;

  constructor(
    private readonly options: SoakOptions,
    private readonly population: Population,
    private readonly csp: CspEndpoint,
    urls: { directory: string; contactSync: string },
    my3dataPublicKey: Uint8Array,
    pushFakes: PushFakes,
  ) {
    this.directory = new DirectoryClient({ baseUrl: urls.directory });
    this.contactSync = new DirectoryClient({ baseUrl: urls.contactSync });
    this.publicKeys = new PublicKeyCache(this.directory, new Map([[MY3DATA_IDENTITY, my3dataPublicKey]]));
    this.wakeups = new WakeupCounter(pushFakes);
  }

  private isClosing(): boolean {
    return this.closing;
  }

  get wakeupsReceived(): number {
    return this.wakeups.total;
  }

  private login(user: CreatedIdentity): Promise<CspSession> {
    return connectCsp({ ...this.csp, identity: user.identity, secretKey: user.secretKey, timeoutMs: 30_000 });
  }

  /** Keeps slot `index` of `pool` connected; an unexpected close is an error and is followed by a reconnect. */
  private async keepConnected(
    pool: (CspSession | undefined)[],
    index: number,
    user: CreatedIdentity,
    onSession: (session: CspSession) => void,
  ): Promise<void> {
    const session = await this.login(user);
    pool[index] = session;
    onSession(session);
    // receivers may end their session after a while, like a phone that drops and comes back (not an error)
    const lifetime = pool === this.receivers ? this.options.receiverSessionMs : 0;
    let recycled = false;
    const recycle =
      lifetime > 0
        ? setTimeout(() => {
            recycled = true;
            void session.close();
          }, lifetime)
        : undefined;
    void session.closed.then(async (info) => {
      clearTimeout(recycle);
      pool[index] = undefined;
      if (this.isClosing()) return;
      if (recycled) {
        await this.keepConnected(pool, index, user, onSession).catch((error: unknown) => {
          this.stats.connections.recordError(`receiver reconnect failed: ${errorKind(error)}`);
        });
        return;
      }
      this.stats.connections.recordError(
        `${pool === this.senders ? 'sender' : 'receiver'} connection closed: ${info.closeErrorMessage ?? (info.error ? errorKind(info.error) : 'by the server')}`,
      );
      await sleep(RECONNECT_DELAY_MS);
      if (!this.isClosing()) await this.keepConnected(pool, index, user, onSession).catch(() => undefined);
    });
  }

  /** Like keepConnected, for the clients that ask *MY3DATA for their export. */
  private async keepExporterConnected(index: number, user: CreatedIdentity): Promise<void> {
    const messenger = await Messenger.connect({
      connect: connectCsp,
      login: { ...this.csp, timeoutMs: 30_000 },
      identity: user.identity,
      secretKey: user.secretKey,
      publicKeys: this.publicKeys,
    });
    this.exporters[index] = messenger;
    void messenger.closed.then(async (info) => {
      this.exporters[index] = undefined;
      if (this.isClosing()) return;
      this.stats.connections.recordError(
        `exporter connection closed: ${info.closeErrorMessage ?? (info.error ? errorKind(info.error) : 'by the server')}`,
      );
      await sleep(RECONNECT_DELAY_MS);
      if (!this.isClosing()) await this.keepExporterConnected(index, user).catch(() => undefined);
    });
  }

  private onDelivery(session: CspSession): void {
    session.onMessage((incoming) => {
      const sentAt = this.ledger.recordDelivered(session.identity, incoming.messageId, this.recent);
      if (sentAt !== undefined) this.deliveryLatency.record(performance.now() - sentAt);
      incoming.ack();
    });
  }

  /** Logs in the persistent clients, registers the offline receivers' push tokens and checks contact sync. */
  async prepare(): Promise<void> {
    const { onlineSenders, onlineReceivers, offlineReceivers, exporters } = this.population;
    await Promise.all([
      ...onlineSenders.map((user, i) => this.keepConnected(this.senders, i, user, () => undefined)),
      ...onlineReceivers.map((user, i) =>
        this.keepConnected(this.receivers, i, user, (session) => {
          this.onDelivery(session);
        }),
      ),
    ]);
    for (const [i, user] of offlineReceivers.entries()) {
      const token = `soak-fcm-${String(i)}-${Buffer.from(randomBytes(8)).toString('hex')}`;
      this.offlineTokens[i] = token;
      this.offlineState[i] = 'offline';
      this.offlinePending[i] = 0;
      this.offlineAckedInWindow[i] = 0;
      const session = await this.login(user);
      session.setPushToken(FCM, Buffer.from(token, 'ascii'));
      await session.echo();
      await session.close();
    }
    await Promise.all(exporters.map((user, i) => this.keepExporterConnected(i, user)));
    // contact sync learns linked hashes from the directory's events: wait until it matches all of them
    const started = Date.now();
    for (;;) {
      const missing = await this.matchOnce(0).then(
        () => false,
        () => true,
      );
      if (!missing) break;
      if (Date.now() - started > 20_000) throw new Error('contact sync never matched the linked identities');
      await sleep(250);
    }
  }

  start(): void {
    this.running = true;
    const { rates } = this.options;
    const loop = (
      stats: OperationStats,
      rate: number,
      maxInFlight: number,
      op: (i: number) => Promise<void>,
    ) => {
      this.stopLoops.push(runOpenLoop(stats, rate, maxInFlight, op));
    };
    loop(this.stats.online, rates.onlineMessages, 20_000, (i) => this.sendOnline(i));
    loop(this.stats.offline, rates.offlineMessages, 5_000, (i) => this.sendOffline(i));
    loop(this.stats.logins, rates.logins, this.population.loginClients.length, (i) => this.loginOnce(i));
    loop(this.stats.lookups, rates.lookups, 500, (i) => this.lookupOnce(i));
    loop(this.stats.bulk, rates.bulkLookups, 100, (i) => this.bulkOnce(i));
    loop(this.stats.matches, rates.matches, 50, (i) => this.matchOnce(i));
    loop(this.stats.exports, rates.exports, this.population.exporters.length, (i) => this.exportOnce(i));
    if (rates.offlineMessages > 0)
      this.offlineCycles = this.population.offlineReceivers.map((user, i) => this.offlineCycle(user, i));
  }

  private async send(
    senderIndex: number,
    receiver: string,
    onAnswered: (acked: boolean) => void = () => undefined,
  ): Promise<void> {
    const session = this.senders[senderIndex % this.senders.length];
    if (!session) throw new Error('sender not connected');
    const messageId = randomMessageId();
    const struct = messageStruct(session.identity, receiver, messageId, PUSH_FLAG);
    this.ledger.recordSent(receiver, messageId, performance.now());
    try {
      await session.sendMessage(struct);
    } catch (error) {
      this.ledger.recordNotAcked(receiver, messageId);
      onAnswered(false);
      throw error;
    }
    this.ledger.recordAcked(receiver, messageId);
    onAnswered(true);
  }

  private sendOnline(index: number): Promise<void> {
    const pair = index % this.population.onlineReceivers.length;
    const receiver = this.population.onlineReceivers.at(pair);
    if (!receiver) return Promise.reject(new Error('no receiver'));
    return this.send(pair, receiver.identity);
  }

  private sendOffline(index: number): Promise<void> {
    const count = this.offlineState.length;
    for (let step = 0; step < count; step += 1) {
      const target = (index + step) % count;
      if (this.offlineState[target] !== 'offline') continue;
      const receiver = this.population.offlineReceivers.at(target);
      if (!receiver) break;
      this.offlinePending[target] = (this.offlinePending[target] ?? 0) + 1;
      return this.send(index, receiver.identity, (acked) => {
        this.offlinePending[target] = (this.offlinePending[target] ?? 1) - 1;
        if (acked) this.offlineAckedInWindow[target] = (this.offlineAckedInWindow[target] ?? 0) + 1;
      });
    }
    // every offline receiver is draining right now: nothing to send to (not an error, not counted as sent)
    this.stats.offline.started -= 1;
    this.stats.offline.succeeded -= 1;
    return Promise.resolve();
  }

  /** Offline for a window, then (like a phone) wait for the wake-up, log in, take the backlog, disconnect. */
  private async offlineCycle(user: CreatedIdentity, index: number): Promise<void> {
    // receivers start their windows spread out, so drains are spread over time too
    await sleep((this.options.offlineWindowMs * index) / Math.max(1, this.offlineState.length));
    while (this.running) {
      const token = this.offlineTokens[index] ?? '';
      const wakeupsBefore = this.wakeups.countFor(token);
      this.offlineState[index] = 'offline';
      this.offlineAckedInWindow[index] = 0;
      await sleep(this.options.offlineWindowMs);
      await this.drain(user, index, token, wakeupsBefore);
    }
  }

  private async drain(
    user: CreatedIdentity,
    index: number,
    token: string,
    wakeupsBefore: number,
  ): Promise<void> {
    this.offlineState[index] = 'closing';
    const stats = this.stats.drains;
    stats.started += 1;
    const begun = performance.now();
    try {
      while ((this.offlinePending[index] ?? 0) > 0) await sleep(20);
      if ((this.offlineAckedInWindow[index] ?? 0) > 0) {
        const windowClosed = performance.now();
        while (this.wakeups.countFor(token) <= wakeupsBefore) {
          if (performance.now() - windowClosed > WAKEUP_TIMEOUT_MS) {
            this.wakeupsMissing += 1;
            throw new Error('no wake-up reached the device token within 30 s');
          }
          await sleep(50);
        }
        this.wakeupLatency.record(performance.now() - windowClosed);
      }
      this.offlineState[index] = 'online';
      const session = await this.login(user);
      this.onDelivery(session);
      await session.queueSendComplete;
      const missing = this.ledger.ackedUndeliveredFor(user.identity);
      await session.close();
      if (missing > 0) {
        this.drainsIncomplete += 1;
        throw new Error('acknowledged messages missing from the backlog at queue-send-complete');
      }
      stats.succeeded += 1;
      stats.latency.record(performance.now() - begun);
    } catch (error) {
      stats.recordError(errorKind(error));
    }
  }

  private async loginOnce(index: number): Promise<void> {
    const clients = this.population.loginClients;
    let slot = -1;
    for (let step = 0; step < clients.length; step += 1) {
      const candidate = (index + step) % clients.length;
      if (!this.loginBusy.has(candidate)) {
        slot = candidate;
        break;
      }
    }
    const user = slot < 0 ? undefined : clients.at(slot);
    if (!user) throw new Error('no login client free');
    this.loginBusy.add(slot);
    try {
      const session = await this.login(user);
      await session.echo();
      await session.close();
    } finally {
      this.loginBusy.delete(slot);
    }
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(Math.random() * items.length)];
    if (item === undefined) throw new Error('empty pool');
    return item;
  }

  private async lookupOnce(_index: number): Promise<void> {
    const wanted = this.pick(this.population.all);
    const found = await this.directory.fetchIdentity(wanted.identity);
    if (
      found.identity !== wanted.identity ||
      !Buffer.from(found.publicKey).equals(Buffer.from(wanted.publicKey))
    )
      throw new Error('GET identity answered another identity or key');
  }

  private async bulkOnce(_index: number): Promise<void> {
    const wanted = new Set<string>();
    while (wanted.size < Math.min(this.options.bulkSize, this.population.all.length))
      wanted.add(this.pick(this.population.all).identity);
    const found = await this.directory.fetchBulk([...wanted]);
    if (found.length !== wanted.size || !found.every((entry) => wanted.has(entry.identity)))
      throw new Error('fetch_bulk answered other identities than asked for');
  }

  private async matchOnce(index: number): Promise<void> {
    const searcher = this.population.onlineSenders.at(index % this.population.onlineSenders.length);
    if (!searcher) throw new Error('no searcher');
    const hashes = [
      ...this.population.linked.map((entry) => entry.mobileNoHash),
      ...Array.from({ length: this.options.unknownHashesPerMatch }, unknownHash),
    ];
    const matchToken = await this.contactSync.matchToken(searcher);
    const result = await this.contactSync.match({ matchToken, emailHashes: [], mobileNoHashes: hashes });
    const matched = new Set(result.identities.map((entry) => entry.identity));
    const expected = this.population.linked.map((entry) => entry.holder.identity);
    if (matched.size !== expected.length || !expected.every((id) => matched.has(id)))
      throw new Error('match answered other identities than the linked ones');
  }

  private async exportOnce(index: number): Promise<void> {
    let slot = -1;
    const count = this.population.exporters.length;
    for (let step = 0; step < count; step += 1) {
      const candidate = (index + step) % count;
      if (!this.exporterBusy.has(candidate) && this.exporters[candidate]) {
        slot = candidate;
        break;
      }
    }
    const messenger = slot < 0 ? undefined : this.exporters[slot];
    if (!messenger) throw new Error('no exporter free and connected');
    this.exporterBusy.add(slot);
    try {
      const reply = (await messenger.requestDataExport(30_000)) as { identity?: unknown };
      if (reply.identity !== messenger.identity) throw new Error('the export names another identity');
    } finally {
      this.exporterBusy.delete(slot);
    }
  }

  /** Stops offering load; lets the offline receivers finish their cycle (each drains once more). */
  async stop(): Promise<void> {
    await Promise.all(this.stopLoops.map((stop) => stop()));
    this.running = false;
    await Promise.all(this.offlineCycles);
  }

  /** Waits until every acknowledged message was delivered, or the timeout passed. Returns the undelivered. */
  async awaitDeliveries(timeoutMs: number): Promise<number> {
    const started = Date.now();
    while (this.ledger.ackedUndelivered() > 0 && Date.now() - started < timeoutMs) await sleep(100);
    return this.ledger.ackedUndelivered();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([
      ...[...this.senders, ...this.receivers].map((session) => session?.close()),
      ...this.exporters.map((messenger) => messenger?.close()),
    ]);
  }
}
