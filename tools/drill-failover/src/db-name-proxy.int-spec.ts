import { connect, createServer, type Server } from 'node:net';

import { DatabaseNameProxy } from './db-name-proxy';

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

function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(text));
    socket.once('data', (data) => {
      resolve(data.toString());
      socket.destroy();
    });
    socket.once('error', reject);
    socket.once('close', () => {
      reject(new Error('closed without an answer'));
    });
  });
}

describe('DatabaseNameProxy', () => {
  it('forwards to the current target and, after re-pointing, new connections go to the new one', async () => {
    const a = await echoServer('a');
    const b = await echoServer('b');
    const proxy = await DatabaseNameProxy.start(a.port);
    try {
      expect(await roundTrip(proxy.port, 'x')).toBe('a:x');
      proxy.repoint(b.port);
      expect(await roundTrip(proxy.port, 'y')).toBe('b:y');
    } finally {
      await proxy.close();
      a.server.close();
      b.server.close();
    }
  });

  it('closes the client side when the target is down', async () => {
    const a = await echoServer('a');
    const port = a.port;
    await new Promise((resolve) => a.server.close(resolve));
    const proxy = await DatabaseNameProxy.start(port);
    try {
      await expect(roundTrip(proxy.port, 'x')).rejects.toThrow();
    } finally {
      await proxy.close();
    }
  });
});
