// One SDK client of the drill: holds a chat-server connection (reconnecting through its list of sites, as a
// client does whose home site's address stops answering), sends to its peers with unique message IDs, resends
// whatever was not acknowledged (0x81) after a reconnect, and acknowledges (0x82) what it receives.
import { createHash } from 'node:crypto';

import { connectCsp, type CspSession } from '@ots/client';
import { randomBytes } from '@ots/crypto';
import { decodeMessageWithMetadataBox, encodeMessageWithMetadataBox } from '@ots/protocol';

import { type DeliveryLedger, messageKey } from './ledger';
import type { Site } from './nats-supercluster';

export interface Endpoint {
  readonly site: Site;
  readonly port: number;
}

export interface DrillUser {
  readonly identity: string;
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly home: Site;
}

/** A peer this client sends to, and with which message flags (spec §2.3). */
export interface Target {
  readonly identity: string;
  readonly flags: number;
}

export interface DrillClientOptions {
  readonly serverPublicKey: Uint8Array;
  /** new messages per second while producing */
  readonly ratePerSecond: number;
  /** unacknowledged messages in flight at most */
  readonly window: number;
  /** a message not acknowledged within this time means a stuck connection: reconnect and resend */
  readonly ackTimeoutMs: number;
  /** upper bits of every message ID this client makes, unique per client */
  readonly idPrefix: bigint;
  readonly now: () => number;
}

const BODY = 64;
const sleep = (ms: number) =>
  new Promise<'timer'>((resolve) =>
    setTimeout(() => {
      resolve('timer');
    }, ms),
  );

export function fingerprint(nonce: Uint8Array, box: Uint8Array): string {
  return createHash('sha256').update(nonce).update(box).digest('base64').slice(0, 22);
}

export class DrillClient {
  /** messages sent and not yet acknowledged, in send order: resent after each reconnect */
  private readonly unacked = new Map<string, Uint8Array>();
  private session: CspSession | undefined;
  private producing = false;
  private stopped = false;
  private sequence = 0n;
  private nextTarget = 0;
  private running: Promise<void> | undefined;
  /** where the latest login happened (kept while reconnecting) */
  connectedSite: Site | undefined;
  logins = 0;
  lastLoginAtMs: number | undefined;
  lastAckAtMs: number | undefined;
  private killAtMs: number | undefined;
  /** the first acknowledgement after the kill: this client works again */
  firstAckAfterKillAtMs: number | undefined;

  constructor(
    readonly user: DrillUser,
    /** none: this client only receives */
    private readonly targets: readonly Target[],
    private readonly endpoints: readonly Endpoint[],
    private readonly ledger: DeliveryLedger,
    private readonly options: DrillClientOptions,
  ) {}

  get identity(): string {
    return this.user.identity;
  }

  get unacknowledged(): number {
    return this.unacked.size;
  }

  get connected(): boolean {
    return this.session !== undefined;
  }

  start(): void {
    this.running ??= this.run();
  }

  markKill(atMs: number): void {
    this.killAtMs = atMs;
  }

  setProducing(producing: boolean): void {
    this.producing = producing;
  }

  /**
   * Sends one message to `receiver` now, outside the paced load, and resolves with its ledger key once it is
   * acknowledged. With `record: false` the ledger never hears of it (a probe to a receiver that never connects).
   */
  async sendOnce(receiver: string, flags: number, record = true): Promise<string> {
    const session = this.session;
    if (!session) throw new Error('not connected');
    const { key, struct } = this.newMessage(receiver, flags, record);
    await session.sendMessage(struct);
    if (record) this.acknowledged(key);
    return key;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.session?.close();
    await this.running;
  }

  private async run(): Promise<void> {
    let backoffMs = 100;
    while (!this.stopped) {
      const session = await this.connect();
      if (!session) {
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 1_000);
        continue;
      }
      backoffMs = 100;
      this.session = session;
      session.onMessage((incoming) => {
        const struct = decodeMessageWithMetadataBox(incoming.struct);
        this.ledger.recordReceived(
          messageKey(incoming.senderIdentity, this.identity, incoming.messageId),
          fingerprint(struct.nonce, struct.messageBox),
          this.options.now(),
        );
        incoming.ack(); // a duplicate is acknowledged too, and dropped by its message ID
      });
      await this.produce(session);
      this.session = undefined;
    }
  }

  private async connect(): Promise<CspSession | undefined> {
    for (const endpoint of this.endpoints) {
      if (this.stopped) return undefined;
      try {
        const session = await connectCsp({
          host: '127.0.0.1',
          port: endpoint.port,
          serverPublicKey: this.options.serverPublicKey,
          identity: this.user.identity,
          secretKey: this.user.secretKey,
          timeoutMs: 5_000,
        });
        this.connectedSite = endpoint.site;
        this.logins += 1;
        this.lastLoginAtMs = this.options.now();
        return session;
      } catch {
        // this site does not answer (or refuses the login for now): try the next one
      }
    }
    return undefined;
  }

  /** Resend what is unacknowledged, then send new messages at the configured rate until the connection ends. */
  private async produce(session: CspSession): Promise<void> {
    const inFlight = new Map<string, number>();
    const send = (key: string, struct: Uint8Array): void => {
      inFlight.set(key, this.options.now());
      session.sendMessage(struct).then(
        () => {
          this.acknowledged(key);
        },
        () => undefined, // the connection closed first: it stays unacknowledged and goes out again
      );
    };
    for (const [key, struct] of this.unacked) send(key, struct);
    const closed = session.closed.then(() => 'closed' as const);
    const interval = 1_000 / this.options.ratePerSecond;
    while (!this.stopped) {
      for (const key of inFlight.keys()) if (!this.unacked.has(key)) inFlight.delete(key);
      const oldest = Math.min(...inFlight.values());
      if (inFlight.size > 0 && this.options.now() - oldest > this.options.ackTimeoutMs) {
        void session.close();
      } else if (this.producing && this.targets.length > 0 && inFlight.size < this.options.window) {
        const target = this.targets[this.nextTarget++ % this.targets.length];
        const { key, struct } = this.newMessage(target.identity, target.flags);
        send(key, struct);
      }
      if ((await Promise.race([closed, sleep(interval)])) === 'closed') return;
    }
    await session.close();
  }

  private newMessage(receiver: string, flags: number, record = true): { key: string; struct: Uint8Array } {
    this.sequence += 1n;
    const messageId = this.options.idPrefix | this.sequence;
    const nonce = randomBytes(24);
    const messageBox = randomBytes(BODY);
    const struct = encodeMessageWithMetadataBox({
      senderIdentity: this.identity,
      receiverIdentity: receiver,
      messageId,
      createdAt: Math.floor(Date.now() / 1000),
      flags,
      legacySenderNickname: new Uint8Array(32),
      metadataContainer: new Uint8Array(0),
      nonce,
      messageBox,
    });
    const key = messageKey(this.identity, receiver, messageId);
    if (record) {
      this.ledger.recordSent(key, fingerprint(nonce, messageBox), this.options.now());
      this.unacked.set(key, struct);
    }
    return { key, struct };
  }

  private acknowledged(key: string): void {
    this.unacked.delete(key);
    this.ledger.recordAcked(key);
    this.lastAckAtMs = this.options.now();
    if (this.killAtMs !== undefined) this.firstAckAfterKillAtMs ??= this.lastAckAtMs;
  }
}
