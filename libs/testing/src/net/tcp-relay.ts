import { connect, createServer, type Socket } from 'node:net';

export interface TcpRelay {
  readonly port: number;
  /** New connections go to this port from now on. */
  repoint(targetPort: number): void;
  /**
   * The target vanishes without a reset, like a lost site behind a WAN: open connections stay open and swallow
   * what is sent, new ones are accepted and never answered, until repoint().
   */
  silence(): void;
  close(): Promise<void>;
}

/** A loopback TCP relay to 127.0.0.1:targetPort, for tests of dead or moved servers (e.g. the database name). */
export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  let target = targetPort;
  let silent = false;
  const sockets = new Set<Socket>();
  const links = new Set<{ client: Socket; upstream: Socket }>();

  const hang = (client: Socket, upstream?: Socket): void => {
    if (upstream) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      upstream.removeAllListeners('close');
      upstream.removeAllListeners('error');
      upstream.on('error', () => undefined);
      upstream.destroy();
      sockets.delete(upstream);
    }
    client.on('data', () => undefined);
    client.on('error', () => client.destroy());
    client.resume();
  };

  const server = createServer((client) => {
    client.setNoDelay(true);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (silent) {
      hang(client);
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: target, noDelay: true });
    sockets.add(upstream);
    const link = { client, upstream };
    links.add(link);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(upstream);
      links.delete(link);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no TCP address');
  return {
    port: address.port,
    repoint: (port) => {
      target = port;
      silent = false;
    },
    silence: () => {
      silent = true;
      for (const link of links) hang(link.client, link.upstream);
      links.clear();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
