import { encodeMessageWithMetadataBox, PayloadType, SupportedFeature } from '@ots/protocol';

import type { AcceptMessage } from './accept-message';
import { MailboxSession, type SessionOutput } from './mailbox-session';
import type { MessageKey, MessageStore, QueuedMessage, StoredMessage } from './ports';

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

  delete(_key: MessageKey): void {
    // acks are not part of these tests
  }

  backlog(_receiver: string, afterSeq: bigint, limit: number): Promise<QueuedMessage[]> {
    return Promise.resolve(this.queued.filter((m) => m.seq > afterSeq).slice(0, limit));
  }

  count(): Promise<number> {
    return Promise.resolve(this.queued.length);
  }
}

function startSession(store: MemoryStore): { session: MailboxSession; sent: number[] } {
  const sent: number[] = [];
  const output: SessionOutput = {
    send: (type) => sent.push(type),
    close: () => undefined,
    setIdleTimeout: () => undefined,
    congested: false,
    pauseReading: () => undefined,
  };
  const session = new MailboxSession(
    {
      identity: RECEIVER,
      supportedFeatures: SupportedFeature.messageWithMetadataBox,
      deviceId: undefined,
      deviceCookieChangePending: false,
      queuedMessages: 0,
    },
    output,
    {
      store,
      accept: {} as AcceptMessage,
      pushTokens: { setToken: () => Promise.resolve(), deleteTokens: () => Promise.resolve() },
      cookies: {
        find: () => Promise.resolve(null),
        save: () => Promise.resolve(),
        clearChangePending: () => Promise.resolve(),
      },
      telemetry: {
        accepted: () => undefined,
        rejected: () => undefined,
        delivered: () => undefined,
        acked: () => undefined,
        protocolError: () => undefined,
      },
      onBackgroundError: () => undefined,
    },
    { deliveryWindow: 100, maxPendingAccepts: 100 },
  );
  session.start();
  return { session, sent };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

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
