import { encodeMessageWithMetadataBox } from '@ots/protocol';

import { AcceptMessage } from './accept-message';
import {
  type DeliveryRouter,
  type IdentityDirectory,
  type LiveDelivery,
  type MessageStore,
  ReceiverState,
  type StoredMessage,
  type WakeUpRequest,
} from './ports';
import { QueueQuota } from './queue-quota';
import { readStructHeader } from './struct-header';

const SENDER = 'SENDER01';
const LOCAL_CONNECTION = {};
const RECEIVER = 'RECEIVE1';

const struct = (flags: number): Uint8Array =>
  encodeMessageWithMetadataBox({
    senderIdentity: SENDER,
    receiverIdentity: RECEIVER,
    messageId: 42n,
    createdAt: 1_700_000_000,
    flags,
    legacySenderNickname: new Uint8Array(32),
    metadataContainer: new Uint8Array(0),
    nonce: new Uint8Array(24),
    messageBox: new Uint8Array(32),
  });

/** Records what happened in which order; the commit is settled by the test. */
function harness(options: { localReceiver: boolean; onlineElsewhere: boolean }) {
  const events: string[] = [];
  let finishCommit: (error?: Error) => void = () => undefined;
  const store: MessageStore = {
    store: (_message: StoredMessage) =>
      new Promise<void>((resolve, reject) => {
        events.push('insert started');
        finishCommit = (error) => {
          events.push(error ? 'insert failed' : 'insert committed');
          if (error) reject(error);
          else resolve();
        };
      }),
    delete: () => Promise.resolve(true),
    backlog: () => Promise.resolve([]),
    count: () => Promise.resolve(0),
  };
  const local: LiveDelivery[] = [];
  const router: DeliveryRouter = {
    deliverLocally: (_receiver, delivery) => {
      events.push('local delivery');
      if (!options.localReceiver) return [];
      local.push(delivery);
      return [LOCAL_CONNECTION];
    },
    deliver: (_receiver, _delivery, _needPresence, deliverOptions) => {
      events.push(`remote delivery (handed to ${String(deliverOptions?.handedTo?.length)})`);
      return Promise.resolve(options.localReceiver || options.onlineElsewhere);
    },
  };
  const directory: IdentityDirectory = {
    lookup: () => Promise.resolve({ state: ReceiverState.Active, publicKey: new Uint8Array(32) }),
    permanentSharedSecret: () => new Uint8Array(32),
    forget: () => undefined,
  };
  const wakeUps: WakeUpRequest[] = [];
  const accept = new AcceptMessage(
    directory,
    store,
    router,
    { publish: (request) => wakeUps.push(request) },
    new QueueQuota(store, 1_000),
    { retentionMs: 60_000, shortLivedMs: 60_000 },
    () => 1_700_000_000_000,
  );
  return {
    accept,
    events,
    local,
    wakeUps,
    commit: (error?: Error) => {
      finishCommit(error);
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('AcceptMessage', () => {
  it('hands the message to a local receiver while the insert commits; accepts and signals others after it', async () => {
    const h = harness({ localReceiver: true, onlineElsewhere: false });
    let outcome: string | undefined;
    void h.accept
      .execute(struct(0x01), readStructHeader(struct(0x01)))
      .then((result) => (outcome = result.kind));
    await turn();
    expect(h.events).toEqual(['insert started', 'local delivery']);
    expect(h.local).toHaveLength(1);
    expect(outcome).toBeUndefined(); // no ack for the sender before the commit

    h.commit();
    await turn();
    expect(outcome).toBe('accepted');
    expect(h.events).toEqual([
      'insert started',
      'local delivery',
      'insert committed',
      'remote delivery (handed to 1)',
    ]);
    await expect(h.local[0]?.committed).resolves.toBe(true);
    expect(h.wakeUps).toHaveLength(0);
  });

  it('tells the local receiver when the commit failed, and the sender gets no ack', async () => {
    const h = harness({ localReceiver: true, onlineElsewhere: false });
    const result = h.accept.execute(struct(0x01), readStructHeader(struct(0x01)));
    await turn();
    h.commit(new Error('database down'));
    await expect(result).rejects.toThrow('database down');
    await expect(h.local[0]?.committed).resolves.toBe(false);
    expect(h.events.filter((event) => event.startsWith('remote delivery'))).toEqual([]);
  });

  it('queues a wake-up only after the commit, when nobody holds the receiver', async () => {
    const h = harness({ localReceiver: false, onlineElsewhere: false });
    const result = h.accept.execute(struct(0x01), readStructHeader(struct(0x01)));
    await turn();
    expect(h.wakeUps).toHaveLength(0);
    h.commit();
    await expect(result).resolves.toEqual({ kind: 'accepted' });
    await turn();
    expect(h.wakeUps.map((w) => w.identity)).toEqual([RECEIVER]);
  });
});
