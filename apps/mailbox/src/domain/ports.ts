import type { StructHeader } from './struct-header';

// What the mailbox's domain needs from the outside world. Implementations live in infrastructure/; unit tests
// substitute in-memory ones.

export enum ReceiverState {
  Active = 'active',
  Inactive = 'inactive',
  Revoked = 'revoked',
  Unknown = 'unknown',
}

export interface IdentityInfo {
  readonly state: ReceiverState;
  /** X25519 public key (CK.public); empty for unknown identities */
  readonly publicKey: Uint8Array;
}

/** The directory, as seen from the chat server (cached; revocations invalidate). */
export interface IdentityDirectory {
  lookup(identity: string): Promise<IdentityInfo>;
  /** SS1 = X25519HSalsa20(SK, CK) for the vouch, cached per identity. */
  permanentSharedSecret(identity: string, publicKey: Uint8Array): Uint8Array;
  forget(identity: string): void;
}

export interface StoredMessage {
  readonly receiver: string;
  readonly sender: string;
  readonly messageId: bigint;
  readonly flags: number;
  readonly queuedAt: Date;
  readonly expiresAt: Date;
  /** message-with-metadata-box */
  readonly struct: Uint8Array;
}

export interface QueuedMessage extends StoredMessage {
  readonly seq: bigint;
}

export interface MessageKey {
  readonly receiver: string;
  readonly sender: string;
  readonly messageId: bigint;
}

/** The durable queue. `store` resolves only once the message is committed (group commit across connections). */
export interface MessageStore {
  store(message: StoredMessage): Promise<void>;
  /**
   * Acknowledged (or delivered with flag 0x04): delete; batched, best effort ordering after the insert. Resolves
   * true once the delete committed, false when it failed (reported by the store; the row stays until it expires).
   */
  delete(key: MessageKey): Promise<boolean>;
  backlog(receiver: string, afterSeq: bigint, limit: number): Promise<readonly QueuedMessage[]>;
  /** Queued messages for a receiver (not expired). */
  count(receiver: string): Promise<number>;
}

/** A live delivery arriving for a locally connected identity (from any mailbox instance). */
export interface LiveDelivery {
  readonly struct: Uint8Array;
  /** the struct's header, read once where the struct arrived */
  readonly header: StructHeader;
  /** false for flag 0x02 messages that were never stored */
  readonly stored: boolean;
  /** when the sender's instance accepted it (for the delivery-latency histogram) */
  readonly acceptedAtMs: number;
  /**
   * Set when the message reaches a connection of the accepting instance while its commit is still running
   * (architecture message path step 3): settles true once it committed, false if the commit failed (then the
   * sender gets no ack and sends it again). Whatever needs the row — its delete, a queue read — waits for it.
   */
  readonly committed?: Promise<boolean>;
}

/** Routing between mailbox instances (core NATS, interest-based: the instance holding a connection listens). */
export interface DeliveryRouter {
  /**
   * Signal the receiver's instance(s). Resolves true when some instance holds a connection for the receiver,
   * false when none does (only asked when `needPresence`; otherwise resolves true without waiting).
   */
  deliver(
    receiver: string,
    delivery: LiveDelivery,
    needPresence: boolean,
    options?: { readonly handedTo?: LocalHandOver },
  ): Promise<boolean>;
  /**
   * Hand a message to this instance's own connections for the receiver at once (before its commit, with
   * `committed` set). Returns which connections got it: the later `deliver` passes that as `handedTo`, so a
   * connection that logged in meanwhile (its queue read may have run before the commit) still gets the message,
   * and the ones that had it do not get it twice.
   */
  deliverLocally(receiver: string, delivery: LiveDelivery): LocalHandOver;
}

/** The local connections a message was handed to before its commit (opaque to the domain). */
export type LocalHandOver = readonly object[];

export interface WakeUpRequest {
  readonly identity: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly voip: boolean;
  readonly group: boolean;
}

/** The push work queue (JetStream), collapsed per receiver. */
export interface WakeUpPublisher {
  publish(request: WakeUpRequest): void;
}

/** The push service (push.v1) for the CSP push payloads. */
export interface PushTokenRegistry {
  setToken(
    identity: string,
    deviceId: bigint,
    voip: boolean,
    tokenType: number,
    token: Uint8Array,
  ): Promise<void>;
  deleteTokens(identity: string, deviceIds: readonly bigint[], requestingDeviceId: bigint): Promise<void>;
}

export interface DeviceCookieState {
  readonly cookie: Uint8Array;
  readonly changePending: boolean;
}

/** What a login reads in one round trip: the stored device cookie and how many messages wait (login-ack). */
export interface LoginRecord {
  readonly cookie: DeviceCookieState | null;
  readonly queuedMessages: number;
}

export interface DeviceCookies {
  /** the stored cookie (or null) together with the identity's queued-message count */
  findForLogin(identity: string): Promise<LoginRecord>;
  save(identity: string, state: DeviceCookieState): Promise<void>;
  clearChangePending(identity: string): Promise<void>;
}

/** Batches last-login times to the directory. */
export interface LoginRecorder {
  record(identity: string, at: Date): void;
}

/** Counters the domain reports (Prometheus in production; no per-identity labels). */
export interface MailboxTelemetry {
  accepted(): void;
  rejected(reason: string): void;
  delivered(acceptedAtMs: number | undefined): void;
  acked(): void;
  protocolError(reason: string): void;
  /** a live message is left to another pass over the queue (why: live_overflow, during_backlog, blocked) */
  queueReread(reason: string): void;
}
