import type { NatsConnection } from 'nats';

import { NatsDeliveryRouter } from './nats-router';

/** A connection whose requests are never answered (the server died with them, or it is overloaded). */
function silentConnection(): NatsConnection {
  return {
    publish: () => undefined,
    subscribe: () => ({ unsubscribe: () => undefined }),
  } as unknown as NatsConnection;
}

/** the login window ends with the event-loop turn (the tests of the window itself use fake timers) */
const END_OF_TURN = { windowMs: 0 };

const delivery = {
  struct: new Uint8Array(100),
  header: { sender: 'SENDER01', receiver: 'RECEIVE1', messageId: 1n, createdAt: 0, flags: 0 },
  stored: true,
  acceptedAtMs: 0,
};

describe('NatsDeliveryRouter presence timeout', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('counts an unanswered receiver as online when the connection stayed up (overload: no wake-up flood)', async () => {
    const router = new NatsDeliveryRouter(silentConnection);
    router.start();
    const online = router.deliver('RECEIVE1', delivery, true);
    jest.advanceTimersByTime(3_000);
    await expect(online).resolves.toBe(true);
  });

  it('counts it offline when the NATS connection dropped meanwhile, so the receiver still gets a wake-up', async () => {
    const router = new NatsDeliveryRouter(silentConnection);
    router.start();
    const online = router.deliver('RECEIVE1', delivery, true);
    router.connectionLost();
    jest.advanceTimersByTime(3_000);
    await expect(online).resolves.toBe(false);
  });

  it('a connection loss that was over before the request does not count for it', async () => {
    const router = new NatsDeliveryRouter(silentConnection);
    router.start();
    router.connectionLost();
    router.connectionRestored();
    const online = router.deliver('RECEIVE1', delivery, true);
    jest.advanceTimersByTime(3_000);
    await expect(online).resolves.toBe(true);
  });
});

describe('NatsDeliveryRouter while NATS is disconnected', () => {
  function recordingConnection(published: string[]): NatsConnection {
    return {
      publish: (subject: string) => published.push(subject),
      subscribe: () => ({ unsubscribe: () => undefined }),
    } as unknown as NatsConnection;
  }

  it('counts the receiver offline at once and sends the live signal after the reconnect', async () => {
    const published: string[] = [];
    const router = new NatsDeliveryRouter(() => recordingConnection(published));
    router.start();
    router.connectionLost();
    await expect(router.deliver('RECEIVE1', delivery, true)).resolves.toBe(false);
    await expect(router.deliver('RECEIVE2', delivery, false)).resolves.toBe(true);
    expect(published).toEqual([]); // the client would have dropped them

    router.connectionRestored();
    expect(published).toEqual(['ots.mailbox.identity.RECEIVE1', 'ots.mailbox.identity.RECEIVE2']);
    router.connectionRestored();
    expect(published).toHaveLength(2);
  });
});

describe('NatsDeliveryRouter local connections', () => {
  function routerWithRecording(published: string[]) {
    const connection = {
      publish: (subject: string) => published.push(subject),
      subscribe: () => ({ unsubscribe: () => undefined, getID: () => 1 }),
    } as unknown as NatsConnection;
    const router = new NatsDeliveryRouter(() => connection);
    router.start();
    return router;
  }
  function routed(received: unknown[], loginAtMs: number) {
    return {
      identity: 'RECEIVE1',
      connectionId: new Uint8Array(16).fill(loginAtMs),
      loginAtMs,
      deliverLive: (live: unknown) => received.push(live),
      supersede: () => undefined,
      resync: () => received.push('resync'),
    };
  }

  it('hands a message to its own connections at once, and not again when the later deliver names them', async () => {
    const published: string[] = [];
    const router = routerWithRecording(published);
    const received: unknown[] = [];
    const connection = routed(received, 1);
    router.attach(connection);
    published.length = 0; // the login announcement

    expect(router.deliverLocally('RECEIVE2', delivery)).toEqual([]);
    const handedTo = router.deliverLocally('RECEIVE1', delivery);
    expect(handedTo).toEqual([connection]);
    expect(received).toEqual([delivery]);
    await expect(router.deliver('RECEIVE1', delivery, true, { handedTo })).resolves.toBe(true);
    expect(received).toHaveLength(1);
    expect(published).toEqual(['ots.mailbox.identity.RECEIVE1']); // other instances may hold one too

    router.detach(connection);
    expect(router.deliverLocally('RECEIVE1', delivery)).toEqual([]);
  });

  it('delivers after the commit to a connection that logged in during it (its queue read came too early)', async () => {
    const router = routerWithRecording([]);
    const before: unknown[] = [];
    const after: unknown[] = [];
    const old = routed(before, 1);
    router.attach(old);
    const handedTo = router.deliverLocally('RECEIVE1', delivery);
    // the receiver reconnects while the message commits: a new connection, and the old one goes
    router.attach(routed(after, 2));
    router.detach(old);
    await router.deliver('RECEIVE1', delivery, false, { handedTo });
    expect(before).toEqual([delivery]);
    expect(after).toEqual([delivery]);
  });
});

describe('NatsDeliveryRouter presence questions per receiver', () => {
  it('asks once while a question about the receiver is under way; the messages meanwhile share its answer', async () => {
    const published: { subject: string; reply?: string }[] = [];
    let answer: ((error: Error | null, message: unknown) => void) | undefined;
    const connection = {
      publish: (subject: string, _data: Uint8Array, options?: { reply?: string }) =>
        published.push({ subject, reply: options?.reply }),
      subscribe: (_subject: string, options: { callback: typeof answer }) => {
        answer = options.callback;
        return { unsubscribe: () => undefined };
      },
    } as unknown as NatsConnection;
    const router = new NatsDeliveryRouter(() => connection);
    router.start();
    const answers = [1, 2, 3].map(() => router.deliver('RECEIVE1', delivery, true));
    const other = router.deliver('RECEIVE2', delivery, true);
    // every message is published (another instance may hold the receiver), one question per receiver
    expect(published).toHaveLength(4);
    const questions = published.filter((p) => p.reply !== undefined);
    expect(questions.map((p) => p.subject.slice(-8))).toEqual(['RECEIVE1', 'RECEIVE2']);
    // NATS: no responders for RECEIVE1 (offline), an answer for RECEIVE2 (online)
    answer?.(new Error('503'), { subject: questions[0].reply, headers: { code: 503 } });
    answer?.(null, { subject: questions[1].reply, headers: undefined });
    expect(await Promise.all(answers)).toEqual([false, false, false]);
    expect(await other).toBe(true);
    // answered: the next message asks again
    void router.deliver('RECEIVE1', delivery, true);
    expect(published.filter((p) => p.reply !== undefined)).toHaveLength(3);
    router.stop();
  });
});

describe('NatsDeliveryRouter with a receiver held here', () => {
  it('tells other instances to read the queue instead of sending them the struct; they read it', async () => {
    const published: { subject: string; data: Uint8Array }[] = [];
    const callbacks: ((error: Error | null, message: unknown) => void)[] = [];
    const connection = {
      publish: (subject: string, data: Uint8Array) => published.push({ subject, data }),
      subscribe: (_subject: string, options: { callback: (typeof callbacks)[number] }) => {
        callbacks.push(options.callback);
        return { unsubscribe: () => undefined, getID: () => callbacks.length };
      },
      flush: () => Promise.resolve(),
    } as unknown as NatsConnection;
    const received: unknown[] = [];
    const held = {
      identity: 'RECEIVE1',
      connectionId: new Uint8Array(16),
      loginAtMs: 1,
      deliverLive: (live: unknown) => received.push(live),
      supersede: () => undefined,
      resync: () => received.push('resync'),
    };
    const router = new NatsDeliveryRouter(() => connection);
    router.start();
    router.attach(held);
    await router.subscriptionsRegistered();
    published.length = 0; // the login announcement

    void router.deliver('RECEIVE1', delivery, false);
    expect(received).toEqual([delivery]);
    expect(published.map((p) => p.data.length)).toEqual([1]);
    // not stored (flag 0x02): there is nothing to read, so the struct itself goes
    void router.deliver('RECEIVE1', { ...delivery, stored: false }, false);
    expect(published[1].data.length).toBe(10 + delivery.struct.length);
    // nobody here: the struct goes to whoever holds the receiver
    void router.deliver('RECEIVE2', delivery, false);
    expect(published[2].data.length).toBe(10 + delivery.struct.length);

    // the other side: the one-byte signal makes the held connection read its queue
    callbacks[1](null, { sid: 2, data: published[0].data }); // subscription 1 is the presence inbox
    expect(received.at(-1)).toBe('resync');
    router.stop();
  });
});

describe('NatsDeliveryRouter.subscriptionsRegistered (a login reads its queue only after NATS has its subscription)', () => {
  /** A connection whose flushes (PING → PONG) answer only when the test says so. */
  function flushingConnection() {
    const pongs: (() => void)[] = [];
    const order: string[] = [];
    const connection = {
      publish: () => undefined,
      subscribe: (subject: string) => {
        order.push(`SUB ${subject}`);
        return { unsubscribe: () => undefined, getID: () => order.length };
      },
      flush: () => {
        order.push('PING');
        return new Promise<void>((resolve) => pongs.push(resolve));
      },
    } as unknown as NatsConnection;
    return { connection, pongs, order };
  }
  const routed = (identity: string) => ({
    identity,
    connectionId: new Uint8Array(16),
    loginAtMs: 0,
    deliverLive: () => undefined,
    supersede: () => undefined,
    resync: () => undefined,
  });
  const settled = async (promise: Promise<void>): Promise<boolean> => {
    let done = false;
    void promise.then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.resolve();
    return done;
  };

  it('waits for one PING, sent after the subscriptions of the turn, to come back', async () => {
    const nats = flushingConnection();
    const router = new NatsDeliveryRouter(() => nats.connection, END_OF_TURN);
    router.attach(routed('IDENTIT1'));
    const first = router.subscriptionsRegistered();
    router.attach(routed('IDENTIT2'));
    const second = router.subscriptionsRegistered();
    expect(await settled(first)).toBe(false);
    expect(nats.order.filter((line) => line === 'PING')).toHaveLength(1);
    expect(nats.order.at(-1)).toBe('PING'); // after both subscriptions
    nats.pongs[0]();
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(true);
  });

  it('gives a subscription made after the PING went out a PING of its own', async () => {
    const nats = flushingConnection();
    const router = new NatsDeliveryRouter(() => nats.connection, END_OF_TURN);
    router.attach(routed('IDENTIT1'));
    const first = router.subscriptionsRegistered();
    await new Promise((resolve) => setImmediate(resolve));
    router.attach(routed('IDENTIT2'));
    const second = router.subscriptionsRegistered();
    nats.pongs[0]();
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(false);
    nats.pongs[1]();
    expect(await settled(second)).toBe(true);
  });

  it('sends the subscriptions, login announcements and the PING of a turn together at its end', async () => {
    const nats = flushingConnection();
    const published: string[] = [];
    (nats.connection as unknown as { publish: (subject: string) => void }).publish = (subject) => {
      nats.order.push(`PUB ${subject}`);
      published.push(subject);
    };
    const router = new NatsDeliveryRouter(() => nats.connection, END_OF_TURN);
    router.attach(routed('IDENTIT1'));
    router.attach(routed('IDENTIT2'));
    const closedAtOnce = routed('IDENTIT3');
    router.attach(closedAtOnce);
    router.detach(closedAtOnce); // closed before the turn ended: never subscribed
    const registered = router.subscriptionsRegistered();
    expect(nats.order).toEqual([]); // nothing before the turn ends
    expect(router.connectionsOf('IDENTIT1').size).toBe(1); // but routed to locally at once
    await new Promise((resolve) => setImmediate(resolve));
    expect(nats.order.map((line) => line.replace(/ ots\.mailbox\.identity\..*/, ''))).toEqual([
      'SUB',
      'PUB',
      'SUB',
      'PUB',
      'PING',
    ]);
    nats.pongs[0]();
    await expect(registered).resolves.toBeUndefined();
  });

  it('unsubscribes a closed connection at the end of the turn; a message for it meanwhile is dropped', async () => {
    const unsubscribed: number[] = [];
    const callbacks: ((error: Error | null, message: unknown) => void)[] = [];
    const connection = {
      publish: () => undefined,
      subscribe: (_subject: string, options: { callback: (typeof callbacks)[number] }) => {
        callbacks.push(options.callback);
        const id = callbacks.length;
        return { unsubscribe: () => unsubscribed.push(id), getID: () => id };
      },
      flush: () => Promise.resolve(),
    } as unknown as NatsConnection;
    const router = new NatsDeliveryRouter(() => connection, END_OF_TURN);
    const resyncs: string[] = [];
    const held = { ...routed('IDENTIT1'), resync: () => resyncs.push('IDENTIT1') };
    router.attach(held);
    await router.subscriptionsRegistered();
    router.detach(held);
    callbacks[0](null, { sid: 1, data: Uint8Array.of(0x03) });
    expect(resyncs).toEqual([]);
    expect(unsubscribed).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(unsubscribed).toEqual([1]);
  });

  it('fails the logins of a turn whose subscriptions NATS refuses (a closed connection)', async () => {
    const router = new NatsDeliveryRouter(
      () =>
        ({
          publish: () => undefined,
          subscribe: () => {
            throw new Error('connection closed');
          },
          flush: () => Promise.resolve(),
        }) as unknown as NatsConnection,
      END_OF_TURN,
    );
    router.attach(routed('IDENTIT1'));
    await expect(router.subscriptionsRegistered()).rejects.toThrow('connection closed');
    // a later turn without subscriptions is not affected
    await expect(router.subscriptionsRegistered()).resolves.toBeUndefined();
  });

  it('gathers the logins of a 4 ms window into one write of subscriptions and one PING', async () => {
    jest.useFakeTimers();
    try {
      const nats = flushingConnection();
      const router = new NatsDeliveryRouter(() => nats.connection); // the production window
      router.attach(routed('IDENTIT1'));
      const first = router.subscriptionsRegistered();
      jest.advanceTimersByTime(3);
      router.attach(routed('IDENTIT2'));
      const second = router.subscriptionsRegistered();
      expect(nats.order).toEqual([]);
      jest.advanceTimersByTime(1); // 4 ms after the first login: the window closes
      expect(nats.order.map((line) => line.split(' ')[0])).toEqual(['SUB', 'SUB', 'PING']);
      router.attach(routed('IDENTIT3')); // a new window
      jest.advanceTimersByTime(4);
      expect(nats.order.map((line) => line.split(' ')[0])).toEqual(['SUB', 'SUB', 'PING', 'SUB', 'PING']);
      nats.pongs[0]();
      await Promise.resolve();
      await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not wait while NATS is away (the reconnect resyncs every session)', async () => {
    const nats = flushingConnection();
    const router = new NatsDeliveryRouter(() => nats.connection, END_OF_TURN);
    router.connectionLost();
    expect(await settled(router.subscriptionsRegistered())).toBe(true);
    expect(nats.order).not.toContain('PING');
  });

  it('waits at most a second for an answer', async () => {
    jest.useFakeTimers();
    try {
      const nats = flushingConnection();
      const router = new NatsDeliveryRouter(() => nats.connection, END_OF_TURN);
      let done = false;
      void router.subscriptionsRegistered().then(() => {
        done = true;
      });
      jest.runOnlyPendingTimers(); // the turn ends: the PING goes out
      await Promise.resolve();
      jest.advanceTimersByTime(999);
      await Promise.resolve();
      expect(done).toBe(false);
      jest.advanceTimersByTime(1);
      await Promise.resolve();
      expect(done).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('NatsDeliveryRouter.subscriptionsRegistered without a usable connection', () => {
  it('lets the login go ahead when asking NATS throws at once', async () => {
    const router = new NatsDeliveryRouter(
      () =>
        ({
          flush: () => {
            throw new Error('connection closed');
          },
        }) as unknown as NatsConnection,
      END_OF_TURN,
    );
    await expect(router.subscriptionsRegistered()).resolves.toBeUndefined();
  });
});
