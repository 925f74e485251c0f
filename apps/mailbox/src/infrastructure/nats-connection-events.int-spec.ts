import { startNats, type TestNats, waitFor } from '@ots/testing';
import { connect, type NatsConnection } from 'nats';

import { watchNatsConnection } from './nats-connection-events';

describe('watchNatsConnection (real nats-server, killed and restarted)', () => {
  let nats: TestNats;
  let connection: NatsConnection;

  beforeAll(async () => {
    nats = await startNats();
    // the settings of the services' NatsClient: reconnect forever, every 500 ms
    connection = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  });

  afterAll(async () => {
    await connection.close();
    await nats.stop();
  });

  it('reports the loss and, once subscriptions are back, the reconnect', async () => {
    const events: string[] = [];
    watchNatsConnection(connection, {
      disconnected: () => events.push('disconnected'),
      reconnected: () => events.push('reconnected'),
    });
    const received: string[] = [];
    connection.subscribe('drill.signal', {
      callback: (_error, message) => received.push(new TextDecoder().decode(message.data)),
    });
    await connection.flush();

    await nats.crash();
    await waitFor(() => events.includes('disconnected'), { timeoutMs: 5_000, description: 'disconnect' });
    expect(events).toEqual(['disconnected']);

    await nats.restart();
    await waitFor(() => events.includes('reconnected'), { timeoutMs: 10_000, description: 'reconnect' });
    expect(events).toEqual(['disconnected', 'reconnected']);

    // when reconnected() runs, the server has our subscription again: a publisher elsewhere reaches us
    const other = await connect({ servers: nats.url });
    other.publish('drill.signal', new TextEncoder().encode('after'));
    await other.flush();
    await waitFor(() => received.includes('after'), { timeoutMs: 5_000, description: 'signal' });
    await other.close();
  });
});
