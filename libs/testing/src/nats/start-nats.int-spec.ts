import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

import { connect, type NatsConnection, StringCodec } from 'nats';

import { isRunning, signalZeroErrorCode } from '../../test/process-table';
import { freePort } from '../ports/free-port';
import { startNats, type TestNats } from './start-nats';

const codec = StringCodec();

async function roundTrip(nc: NatsConnection, subject: string): Promise<string> {
  const subscription = nc.subscribe(subject, { max: 1 });
  nc.publish(subject, codec.encode('hello'));
  for await (const message of subscription) return codec.decode(message.data);
  throw new Error('no message');
}

describe('startNats', () => {
  const started: TestNats[] = [];
  const connections: NatsConnection[] = [];
  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close()));
    await Promise.all(started.map((nats) => nats.stop()));
  });

  async function connectTo(nats: TestNats): Promise<NatsConnection> {
    const nc = await connect({ servers: nats.url, reconnect: false });
    connections.push(nc);
    return nc;
  }

  it('serves publish/subscribe and JetStream on 127.0.0.1', async () => {
    const nats = await startNats();
    started.push(nats);
    expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
    const nc = await connectTo(nats);

    expect(await roundTrip(nc, 'greetings')).toBe('hello');

    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'EVENTS', subjects: ['events.>'] });
    await nc.jetstream().publish('events.created', codec.encode('{}'));
    const info = await jsm.streams.info('EVENTS');
    expect(info.state.messages).toBe(1);
    expect(existsSync(`${nats.storeDir}/jetstream`)).toBe(true);
  });

  it('crash() kills the server; restart() brings it back on the same port with its file-backed streams', async () => {
    const nats = await startNats();
    started.push(nats);
    let nc = await connectTo(nats);
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'KEPT', subjects: ['kept.>'] });
    await nc.jetstream().publish('kept.one', codec.encode('{}'));
    const before = nats.pid;

    await nats.crash();

    expect(isRunning(before)).toBe(false);
    await expect(connect({ servers: nats.url, reconnect: false })).rejects.toThrow();
    await nats.restart();
    expect(nats.pid).not.toBe(before);
    nc = await connectTo(nats);
    const info = await (await nc.jetstreamManager()).streams.info('KEPT');
    expect(info.state.messages).toBe(1);
  });

  it('stop() ends the server and removes the store dir', async () => {
    const nats = await startNats();
    const nc = await connect({ servers: nats.url, reconnect: false });
    const closed = nc.closed();

    await nats.stop();

    expect(signalZeroErrorCode(nats.pid)).toBe('ESRCH');
    expect(isRunning(nats.pid)).toBe(false);
    expect(existsSync(nats.storeDir)).toBe(false);
    await closed; // the client noticed the server went away
    await expect(nats.stop()).resolves.toBeUndefined();
  });

  it('runs two servers at the same time on different ports', async () => {
    const [first, second] = await Promise.all([startNats(), startNats()]);
    started.push(first, second);
    const ports = new Set([first.port, first.monitorPort, second.port, second.monitorPort]);
    expect(ports.size).toBe(4);
    const [a, b] = await Promise.all([connectTo(first), connectTo(second)]);
    expect(await roundTrip(a, 'one')).toBe('hello');
    expect(await roundTrip(b, 'two')).toBe('hello');
  });

  it('fails with the server output when its fixed port is taken', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port }, resolve));
    try {
      await expect(startNats({ port })).rejects.toThrow(
        /did not start on 127\.0\.0\.1:\d+[\s\S]*address already in use/,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('fails clearly when the binary cannot be run', async () => {
    await expect(startNats({ binary: '/nonexistent/nats-server' })).rejects.toThrow(
      /could not be spawned: spawn .*ENOENT/,
    );
  });
});
