import { NotReadyError } from '@ots/observability';
import { freePort, startNats, waitFor } from '@ots/testing';

import { NatsClient } from './nats-client';

describe('NatsClient', () => {
  it('starts without NATS, is not ready, and connects once NATS answers', async () => {
    const port = await freePort();
    const client = new NatsClient({ servers: [`nats://127.0.0.1:${String(port)}`], name: 'test' });
    await expect(client.ping()).rejects.toThrow(/not connected yet/);
    // an expected state while starting: /readyz logs it by its message, without a stack
    await expect(client.ping()).rejects.toBeInstanceOf(NotReadyError);
    const nats = await startNats({ port });
    try {
      await client.connected;
      await waitFor(
        async () => {
          await client.ping();
          return true;
        },
        { timeoutMs: 10_000, description: 'NATS ping' },
      );
      const errors: unknown[] = [];
      await client.close((error) => errors.push(error));
      expect(errors).toEqual([]);
      expect(client.connection.isClosed()).toBe(true);
    } finally {
      await nats.stop();
    }
  });

  it('closes promptly when NATS has gone away', async () => {
    const nats = await startNats();
    const client = new NatsClient({ servers: [nats.url], name: 'test' });
    await client.connected;
    await nats.stop();
    const started = Date.now();
    await client.close(() => undefined);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(client.connection.isClosed()).toBe(true);
  });
});
