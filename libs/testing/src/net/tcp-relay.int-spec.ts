import { connect, createServer, type Server } from 'node:net';

import { startTcpRelay } from './tcp-relay';

async function echoServer(tag: string): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('data', (data) => socket.write(`${tag}:${data.toString()}`));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { server, port: address.port };
}

/** Writes `text` and resolves with the first answer, or 'silence' when none comes within `waitMs`. */
function roundTrip(port: number, text: string, waitMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(text));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('silence');
    }, waitMs);
    socket.once('data', (data) => {
      clearTimeout(timer);
      resolve(data.toString());
      socket.destroy();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      reject(new Error('closed without an answer'));
    });
  });
}

describe('startTcpRelay', () => {
  it('forwards to the target and, after repoint, new connections reach the new one', async () => {
    const a = await echoServer('a');
    const b = await echoServer('b');
    const relay = await startTcpRelay(a.port);
    try {
      expect(await roundTrip(relay.port, 'x')).toBe('a:x');
      relay.repoint(b.port);
      expect(await roundTrip(relay.port, 'y')).toBe('b:y');
    } finally {
      await relay.close();
      a.server.close();
      b.server.close();
    }
  });

  it('closes the client side when the target refuses', async () => {
    const a = await echoServer('a');
    await new Promise((resolve) => a.server.close(resolve));
    const relay = await startTcpRelay(a.port);
    try {
      await expect(roundTrip(relay.port, 'x')).rejects.toThrow();
    } finally {
      await relay.close();
    }
  });

  it('goes silent: open and new connections get no answer and no reset, until repointed', async () => {
    const a = await echoServer('a');
    const relay = await startTcpRelay(a.port);
    try {
      const open = connect({ host: '127.0.0.1', port: relay.port });
      await new Promise((resolve) => open.once('connect', resolve));
      relay.silence();
      let answered = false;
      let closed = false;
      open.on('data', () => (answered = true));
      open.on('close', () => (closed = true));
      open.write('z');
      expect(await roundTrip(relay.port, 'x', 500)).toBe('silence');
      expect({ answered, closed }).toEqual({ answered: false, closed: false });
      open.destroy();
      relay.repoint(a.port);
      expect(await roundTrip(relay.port, 'y')).toBe('a:y');
    } finally {
      await relay.close();
      a.server.close();
    }
  });
});
