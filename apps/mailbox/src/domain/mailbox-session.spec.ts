import { encodeMessageAck, encodeMessageWithMetadataBox, PayloadType, SupportedFeature } from '@ots/protocol';

import type { AcceptMessage } from './accept-message';
import { MailboxSession, type SessionOutput } from './mailbox-session';
import type { MessageKey, MessageStore, QueuedMessage, StoredMessage } from './ports';
import { readStructHeader } from './struct-header';

const RECEIVER = 'RECEIVE1';
const SENDER = 'SENDER01';

function struct(messageId: bigint): Uint8Array {
  return encodeMessageWithMetadataBox({
    senderIdentity: SENDER,
    receiverIdentity: RECEIVER,
    messageId,
    createdAt: 1_700_000_000,
    flags: 0x01,
    legacySenderNickname: new Uint8Array(32),
    metadataContainer: new Uint8Array(0),
    nonce: new Uint8Array(24),
    messageBox: new Uint8Array(64),
  });
}

/** The queue in memory: what the session reads back when it passes over the queue. */
class MemoryStore implements MessageStore {
  readonly queued: QueuedMessage[] = [];
  private seq = 0n;

  add(messageId: bigint): void {
    this.seq += 1n;
    this.queued.push({
      seq: this.seq,
      receiver: RECEIVER,
      sender: SENDER,
      messageId,
      flags: 0x01,
      queuedAt: new Date(),
      expiresAt: new Date(Date.now() + 60_000),
      struct: struct(messageId),
    });
  }

  store(_message: StoredMessage): Promise<void> {
    return Promise.resolve();
  }

  readonly deleted: MessageKey[] = [];

  delete(key: MessageKey): Promise<boolean> {
    // committed at once: the row is gone from the queue
    this.deleted.push(key);
    const index = this.queued.findIndex((m) => m.messageId === key.messageId && m.sender === key.sender);
    if (index >= 0) this.queued.splice(index, 1);
    return Promise.resolve(true);
  }

  backlog(_receiver: string, afterSeq: bigint, limit: number): Promise<QueuedMessage[]> {
    return Promise.resolve(this.queued.filter((m) => m.seq > afterSeq).slice(0, limit));
  }

  count(): Promise<number> {
    return Promise.resolve(this.queued.length);
  }
}

/** A session as a login builds it: routed to first, started with the login's read of the queue count. */
function startSession(
  store: MemoryStore,
  now: () => number = Date.now,
  options: { readonly deviceId?: bigint; readonly queuedAtLogin?: number; readonly start?: boolean } = {},
): { session: MailboxSession; sent: number[]; payloads: Uint8Array[] } {
  const sent: number[] = [];
  const payloads: Uint8Array[] = [];
  const output: SessionOutput = {
    send: (type, data) => {
      sent.push(type);
      payloads.push(data);
    },
    close: () => undefined,
    setIdleTimeout: () => undefined,
    congested: false,
    pauseReading: () => undefined,
  };
  const session = new MailboxSession(
    {
      identity: RECEIVER,
      supportedFeatures: SupportedFeature.messageWithMetadataBox,
      deviceId: options.deviceId,
    },
    output,
    {
      store,
      accept: {} as AcceptMessage,
      pushTokens: { setToken: () => Promise.resolve(), deleteTokens: () => Promise.resolve() },
      cookies: {
        findForLogin: () => Promise.resolve({ cookie: null, queuedMessages: 0 }),
        save: () => Promise.resolve(),
        clearChangePending: () => Promise.resolve(),
      },
      telemetry: {
        accepted: () => undefined,
        rejected: () => undefined,
        delivered: () => undefined,
        acked: () => undefined,
        protocolError: () => undefined,
        queueReread: () => undefined,
      },
      onBackgroundError: () => undefined,
    },
    { deliveryWindow: 100, maxPendingAccepts: 100 },
    now,
  );
  if (options.start ?? true)
    session.start({
      deviceCookieChangePending: false,
      queuedMessages: options.queuedAtLogin ?? store.queued.length,
    });
  return { session, sent, payloads };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A stored message as it arrives live, optionally still committing. */
const live = (messageId: bigint, committed?: Promise<boolean>) => ({
  struct: struct(messageId),
  header: readStructHeader(struct(messageId)),
  stored: true,
  acceptedAtMs: 0,
  committed,
});

describe('MailboxSession start', () => {
  it('sends 0xd0 at once, without reading the queue, when the login found it empty', () => {
    const store = new MemoryStore();
    const reads = jest.spyOn(store, 'backlog');
    const { sent } = startSession(store);
    // synchronously: it leaves together with login-ack
    expect(sent).toEqual([PayloadType.queueSendComplete]);
    expect(reads).not.toHaveBeenCalled();
  });

  it('reads the queue when the login counted messages, and sends 0xd0 after them', async () => {
    const store = new MemoryStore();
    store.add(1n);
    store.add(2n);
    const { sent } = startSession(store);
    expect(sent).toEqual([]);
    await settle();
    expect(sent).toEqual([
      PayloadType.incomingMessage,
      PayloadType.incomingMessage,
      PayloadType.queueSendComplete,
    ]);
  });

  it('sends nothing before it is started, and reads a message signalled meanwhile after 0xd0', async () => {
    const store = new MemoryStore();
    const { session, sent } = startSession(store, Date.now, { start: false });
    // stored after the login's count (which found nothing) while login-ack was not yet out
    store.add(5n);
    session.deliverLive(live(5n, Promise.resolve(true)));
    await settle();
    expect(sent).toEqual([]);
    session.start({ deviceCookieChangePending: true, queuedMessages: 0 });
    expect(sent).toEqual([PayloadType.deviceCookieChangeIndication, PayloadType.queueSendComplete]);
    await settle();
    expect(sent).toEqual([
      PayloadType.deviceCookieChangeIndication,
      PayloadType.queueSendComplete,
      PayloadType.incomingMessage,
    ]);
  });

  it('keeps a multi-device connection silent until 0x03, even with an empty queue (spec §1.7)', async () => {
    const store = new MemoryStore();
    const { session, sent } = startSession(store, Date.now, { deviceId: 7n });
    await settle();
    expect(sent).toEqual([]);
    session.handle(PayloadType.unblockIncomingMessages, new Uint8Array(0));
    await settle();
    expect(sent).toEqual([PayloadType.queueSendComplete]);
  });
});

describe('MailboxSession.resync', () => {
  it('delivers a message stored while its live signal was lost (NATS reconnect) without a new login', async () => {
    const store = new MemoryStore();
    const { session, sent } = startSession(store);
    await settle();
    expect(sent).toEqual([PayloadType.queueSendComplete]);

    // stored by another instance while NATS was away: no live delivery ever reaches this session
    store.add(7n);
    await settle();
    expect(sent.filter((type) => type === PayloadType.incomingMessage)).toHaveLength(0);

    session.resync();
    await settle();
    expect(sent.filter((type) => type === PayloadType.incomingMessage)).toHaveLength(1);
  });

  it('does not deliver a message twice that is already in flight', async () => {
    const store = new MemoryStore();
    store.add(1n);
    const { session, sent } = startSession(store);
    await settle();
    session.resync();
    await settle();
    expect(sent.filter((type) => type === PayloadType.incomingMessage)).toHaveLength(1);
  });

  it('does nothing once the session is closed', async () => {
    const store = new MemoryStore();
    const { session, sent } = startSession(store);
    await settle();
    session.close();
    store.add(3n);
    session.resync();
    await settle();
    expect(sent.filter((type) => type === PayloadType.incomingMessage)).toHaveLength(0);
  });
});

describe('MailboxSession acknowledged keys', () => {
  const ack = (messageId: bigint): Uint8Array => encodeMessageAck({ identity: SENDER, messageId });
  const remembered = (session: MailboxSession): number =>
    (session as unknown as { recentlyAcked: Set<string> }).recentlyAcked.size;

  it('forgets an acknowledged key once its delete committed, when no queue read is running', async () => {
    const store = new MemoryStore();
    const { session, sent } = startSession(store);
    await settle();
    for (let id = 1n; id <= 3n; id++) store.add(id);
    session.resync();
    await settle();
    expect(sent.filter((type) => type === PayloadType.incomingMessage)).toHaveLength(3);
    for (let id = 1n; id <= 3n; id++) session.handle(PayloadType.incomingMessageAck, ack(id));
    expect(remembered(session)).toBe(3); // until the deletes commit, a queue read could still return the rows
    await settle();
    expect(store.deleted.map((key) => key.messageId)).toEqual([1n, 2n, 3n]);
    expect(remembered(session)).toBe(0); // a long-lived connection holds no history
  });

  it('keeps skipping a key whose delete committed during a queue read until that read is handled', async () => {
    const store = new MemoryStore();
    store.add(1n);
    const { session, sent } = startSession(store);
    await settle();
    expect(sent.filter((type) => type === PayloadType.incomingMessage)).toHaveLength(1);

    // a queue read starts and takes its snapshot (with message 1 in it) before the delete commits
    let releaseRead: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      releaseRead = resolve;
    });
    const read = store.backlog.bind(store);
    store.backlog = async (receiver, afterSeq, limit) => {
      const snapshot = await read(receiver, afterSeq, limit);
      await gate;
      return snapshot;
    };
    session.resync();
    await settle();
    session.handle(PayloadType.incomingMessageAck, ack(1n));
    await settle();
    expect(store.deleted.map((key) => key.messageId)).toEqual([1n]); // committed while the read runs
    expect(remembered(session)).toBe(1);

    releaseRead();
    await settle();
    // the stale row was skipped, not delivered again; after the read the key is gone
    expect(sent.filter((type) => type === PayloadType.incomingMessage)).toHaveLength(1);
    expect(remembered(session)).toBe(0);
  });
});

/** A commit the test settles by hand. */
function pendingCommit(): { committed: Promise<boolean>; settle: (ok: boolean) => void } {
  let settleCommit: (ok: boolean) => void = () => undefined;
  const committed = new Promise<boolean>((resolve) => {
    settleCommit = resolve;
  });
  return { committed, settle: settleCommit };
}

describe('MailboxSession delivery during the commit', () => {
  const ack = (messageId: bigint): Uint8Array => encodeMessageAck({ identity: SENDER, messageId });

  it('writes the message at once, but deletes it only after its insert committed', async () => {
    const store = new MemoryStore();
    const { session, sent } = startSession(store);
    await settle();
    const commit = pendingCommit();
    session.deliverLive(live(9n, commit.committed));
    await settle();
    expect(sent.filter((type) => type === PayloadType.incomingMessage)).toHaveLength(1);

    session.handle(PayloadType.incomingMessageAck, ack(9n));
    await settle();
    expect(store.deleted).toEqual([]); // a delete now would find no row, and the insert would leave one behind

    commit.settle(true);
    await settle();
    expect(store.deleted.map((key) => key.messageId)).toEqual([9n]);
  });

  it('deletes nothing when the commit failed (there is no row; the sender sends it again)', async () => {
    const store = new MemoryStore();
    const { session } = startSession(store);
    await settle();
    const commit = pendingCommit();
    session.deliverLive(live(10n, commit.committed));
    await settle();
    session.handle(PayloadType.incomingMessageAck, ack(10n));
    commit.settle(false);
    await settle();
    expect(store.deleted).toEqual([]);
  });

  it('reads the queue for a message that arrives during the backlog only once it committed', async () => {
    const store = new MemoryStore();
    let releaseBacklog: () => void = () => undefined;
    const backlogGate = new Promise<void>((resolve) => {
      releaseBacklog = resolve;
    });
    const read = store.backlog.bind(store);
    let reads = 0;
    store.backlog = async (receiver, afterSeq, limit) => {
      reads += 1;
      if (reads === 1) await backlogGate; // the login's backlog read is still running
      return read(receiver, afterSeq, limit);
    };
    // the login counted a message (gone again by the time of the read): the backlog read runs
    const { session, sent } = startSession(store, Date.now, { queuedAtLogin: 1 });
    const commit = pendingCommit();
    session.deliverLive(live(11n, commit.committed));
    releaseBacklog();
    await settle();
    expect(reads).toBe(1); // a second pass now could run before the row exists
    expect(sent).toEqual([PayloadType.queueSendComplete]);

    store.add(11n);
    commit.settle(true);
    await settle();
    await settle();
    expect(reads).toBe(2);
    expect(sent.filter((type) => type === PayloadType.incomingMessage)).toHaveLength(1);
  });
});

describe('MailboxSession live delivery', () => {
  it('writes every live message that arrives while a delivery pass is finishing, without waiting for another event', async () => {
    const store = new MemoryStore();
    const { session, sent } = startSession(store);
    await settle();
    // three messages in one turn of the event loop (e.g. one socket read carrying several frames)
    for (const id of [21n, 22n, 23n]) session.deliverLive(live(id));
    await settle();
    expect(sent.filter((type) => type === PayloadType.incomingMessage)).toHaveLength(3);
  });
});

describe('MailboxSession state per connection', () => {
  it('keeps in-flight and acknowledged keys per session, though idle sessions share empty ones', async () => {
    const first = startSession(new MemoryStore());
    const second = startSession(new MemoryStore());
    await settle();
    first.session.deliverLive(live(31n));
    await settle();
    const state = (session: MailboxSession) =>
      session as unknown as { inFlight: ReadonlyMap<string, unknown>; recentlyAcked: ReadonlySet<string> };
    expect(state(first.session).inFlight.size).toBe(1);
    expect(state(second.session).inFlight.size).toBe(0);
    first.session.handle(
      PayloadType.incomingMessageAck,
      encodeMessageAck({ identity: SENDER, messageId: 31n }),
    );
    expect(state(first.session).recentlyAcked.size).toBe(1);
    expect(state(second.session).recentlyAcked.size).toBe(0);
    // the same message reaches the second session: nothing of the first one's state suppresses it
    second.session.deliverLive(live(31n));
    await settle();
    expect(second.sent.filter((type) => type === PayloadType.incomingMessage)).toHaveLength(1);
  });
});
