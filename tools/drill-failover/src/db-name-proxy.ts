import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * The runbook's database DNS name (`db-primary…`) on one machine: services connect here, and each connection is
 * forwarded to whatever the name points at when it is opened. Re-pointing, like a DNS change, affects new
 * connections only; connections to a dead server fail by themselves.
 */
export class DatabaseNameProxy {
  private readonly open = new Set<Socket>();
  private readonly server: Server;
  private listeningPort = 0;

  private constructor(private targetPort: number) {
    this.server = createServer((client) => {
      this.forward(client);
    });
  }

  static async start(targetPort: number): Promise<DatabaseNameProxy> {
    const proxy = new DatabaseNameProxy(targetPort);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen({ host: '127.0.0.1', port: 0 }, resolve);
    });
    const address = proxy.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
    proxy.listeningPort = address.port;
    return proxy;
  }

  /** the port services connect to: the database name */
  get port(): number {
    return this.listeningPort;
  }

  get target(): number {
    return this.targetPort;
  }

  repoint(targetPort: number): void {
    this.targetPort = targetPort;
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  private forward(client: Socket): void {
    client.setNoDelay(true);
    const upstream = connect({ host: '127.0.0.1', port: this.targetPort, noDelay: true });
    this.open.add(client);
    this.open.add(upstream);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      this.open.delete(client);
      this.open.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
