import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { localPorts, type ServiceName } from './layout';
import { startPublicGateway } from './public-gateway';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function post(port: number, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST' }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('public HTTP gateway', () => {
  const upstreams: Server[] = [];
  let gateway: Server;
  let gatewayPort: number;

  beforeAll(async () => {
    const ports: Record<ServiceName, { http: number }> = { ...localPorts().services };
    for (const name of ['directory', 'contact-sync', 'push'] as const) {
      const upstream = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ service: name, path: req.url, body }));
        });
      });
      upstreams.push(upstream);
      ports[name] = { http: await listen(upstream) };
    }
    // mailbox has no public route; point it at a closed port to prove nothing reaches it
    gateway = await startPublicGateway(0, ports);
    gatewayPort = (gateway.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await Promise.all(
      [gateway, ...upstreams].map(
        (server) =>
          new Promise<void>((resolve) =>
            server.close(() => {
              resolve();
            }),
          ),
      ),
    );
  });

  it.each([
    ['/identity/match_token', 'contact-sync'],
    ['/identity/match', 'contact-sync'],
    ['/identity/create', 'directory'],
    ['/push/ws', 'push'],
  ])('routes %s to %s with path and body intact', async (path, service) => {
    const response = await post(gatewayPort, `${path}?x=1`, '{"publicKey":"abc"}');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ service, path: `${path}?x=1`, body: '{"publicKey":"abc"}' });
  });

  it.each([['/metrics'], ['/readyz'], ['/']])('answers 404 for %s, which is not public', async (path) => {
    const response = await post(gatewayPort, path, '');
    expect(response.status).toBe(404);
    expect(JSON.parse(response.text)).toEqual({ success: false, error: 'Not found' });
  });

  it('answers 502 when the owning service is down', async () => {
    const stopped = upstreams[2];
    await new Promise<void>((resolve) =>
      stopped.close(() => {
        resolve();
      }),
    );
    const response = await post(gatewayPort, '/push/ws', '');
    expect(response.status).toBe(502);
  });
});
