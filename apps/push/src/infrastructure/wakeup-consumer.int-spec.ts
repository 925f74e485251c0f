import { MetricsRegistry } from '@ots/observability';
import { NatsClient } from '@ots/service-kit';
import { startNats, type TestNats, waitFor } from '@ots/testing';
import type { ConsumerMessages, NatsConnection } from 'nats';

import { publishWakeUp } from '../../test/wakeups';
import { loadPushConfig } from '../config';
import type { DeliverWakeUpUseCase, WakeUpJob } from '../domain/wakeups/deliver-wakeup.usecase';
import { PushMetrics } from './push-metrics';
import { WakeUpConsumer } from './wakeup-consumer';

// The wake-up consumer's stop against a real NATS. The connection is the real one; only the consumer's consume()
// is intercepted, to make the stop land at the two places a stop used to be unbounded or lost.

const SHUTDOWN_GRACE_MS = 2_000;

interface Interception {
  /** resolves once consume() was called (it is held until `release`) */
  readonly consumeCalled: Promise<void>;
  release(): void;
  /** the iterators consume() returned */
  readonly iterators: ConsumerMessages[];
}

/** A NatsClient over a real connection whose wake-up consumer's consume() is held, and whose close() may hang. */
function intercepted(
  client: NatsClient,
  options: { closeHangs: boolean },
): { nats: NatsClient; interception: Interception } {
  let called!: () => void;
  const consumeCalled = new Promise<void>((resolve) => {
    called = resolve;
  });
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const iterators: ConsumerMessages[] = [];
  const connected = client.connected.then((connection): NatsConnection => {
    const jetstream = connection.jetstream();
    return Object.assign(Object.create(connection) as NatsConnection, {
      jetstream: () =>
        Object.assign(Object.create(jetstream) as typeof jetstream, {
          consumers: {
            get: async (...args: Parameters<typeof jetstream.consumers.get>) => {
              const consumer = await jetstream.consumers.get(...args);
              return Object.assign(Object.create(consumer) as typeof consumer, {
                consume: async (...consumeArgs: Parameters<typeof consumer.consume>) => {
                  called();
                  await released;
                  const messages = await consumer.consume(...consumeArgs);
                  iterators.push(messages);
                  if (options.closeHangs) messages.close = () => new Promise(() => undefined);
                  return messages;
                },
              });
            },
          },
        }),
    });
  });
  const nats = Object.assign(Object.create(client) as NatsClient, { connected });
  return { nats, interception: { consumeCalled, release, iterators } };
}

describe('WakeUpConsumer stop (real NATS)', () => {
  let nats: TestNats;
  let client: NatsClient;
  let publisher: NatsConnection;
  const delivered: string[] = [];
  const deliver = {
    execute: (job: WakeUpJob) => {
      delivered.push(job.identity);
      return Promise.resolve({ done: true, retryInMs: 0 });
    },
  } as unknown as DeliverWakeUpUseCase;

  const consumerWith = (natsClient: NatsClient): WakeUpConsumer =>
    new WakeUpConsumer(
      loadPushConfig({
        DATABASE_URL: 'postgresql://unused@127.0.0.1:1/unused',
        NATS_URL: nats.url,
        SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
        PUSH_WAKEUP_ACK_WAIT_MS: '1000',
      }),
      natsClient,
      deliver,
      new PushMetrics(new MetricsRegistry({ service: 'push', version: 'test', site: 'test' })),
    );

  beforeAll(async () => {
    nats = await startNats();
    client = new NatsClient({ servers: [nats.url], name: 'push-test' });
    publisher = await client.connected;
  });

  afterAll(async () => {
    await client.close(() => undefined);
    await nats.stop();
  });

  beforeEach(() => {
    delivered.length = 0;
  });

  it('a stop while consume() is still pending ends the consumer: it takes no wake-up afterwards', async () => {
    const { nats: held, interception } = intercepted(client, { closeHangs: false });
    const consumer = consumerWith(held);
    consumer.onApplicationBootstrap();
    await interception.consumeCalled;

    await consumer.beforeApplicationShutdown();
    interception.release();
    await consumeReturned(interception);

    await publishWakeUp(publisher, 'STOPPED1');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(delivered).toEqual([]);
    const iterator = await Promise.race([
      interception.iterators[0].closed().then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 2_000, 'still open')),
    ]);
    expect(iterator).toBe('closed');

    // the wake-up is still queued for the next consumer: nothing was lost by the stop
    const next = consumerWith(client);
    next.onApplicationBootstrap();
    await waitFor(() => delivered.includes('STOPPED1'), {
      timeoutMs: 10_000,
      intervalMs: 50,
      description: 'the next consumer to deliver the wake-up',
    });
    await next.beforeApplicationShutdown();
  });

  it('a stop is bounded when closing the message iterator never settles', async () => {
    const { nats: hanging, interception } = intercepted(client, { closeHangs: true });
    const consumer = consumerWith(hanging);
    consumer.onApplicationBootstrap();
    await interception.consumeCalled;
    interception.release();
    await consumeReturned(interception);

    const started = Date.now();
    await consumer.beforeApplicationShutdown();
    const tookMs = Date.now() - started;
    // half the grace period is the consumer's share of the shutdown
    expect(tookMs).toBeGreaterThanOrEqual(SHUTDOWN_GRACE_MS / 2 - 50);
    expect(tookMs).toBeLessThan(SHUTDOWN_GRACE_MS);
    // (the real iterator is closed here so that the test leaves nothing subscribed)
    await closeForReal(interception.iterators[0]);
  });
});

/** Waits until the held consume() has returned its iterator (after `release`). */
async function consumeReturned(interception: Interception): Promise<void> {
  await waitFor(() => interception.iterators.length === 1, {
    timeoutMs: 5_000,
    intervalMs: 20,
    description: 'consume() to return',
  });
}

/** The iterator's own close(), bypassing the hanging one the interception installed. */
async function closeForReal(messages: ConsumerMessages): Promise<void> {
  const own = Object.getPrototypeOf(messages) as ConsumerMessages;
  await own.close.call(messages);
}
