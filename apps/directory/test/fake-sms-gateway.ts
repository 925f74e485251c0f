import { createServer, type Server } from 'node:http';

export interface GatewayRequest {
  readonly authorization: string | undefined;
  readonly body: { channel: string; to: string; text: string };
}

/** A local HTTP SMS gateway speaking the adapter's wire format; `status` decides what it answers. */
export class FakeSmsGateway {
  readonly requests: GatewayRequest[] = [];
  status = 202;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(port: number): Promise<FakeSmsGateway> {
    const holder: { fake?: FakeSmsGateway } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        holder.fake?.requests.push({
          authorization: request.headers.authorization,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as GatewayRequest['body'],
        });
        response.writeHead(holder.fake?.status ?? 500, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const fake = new FakeSmsGateway(server, `http://127.0.0.1:${String(port)}/messages`);
    holder.fake = fake;
    return fake;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => {
        resolve();
      });
    });
  }
}
