import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

import { routePublicPath } from '@ots/config';

import type { ServiceName } from './layout';

/**
 * The public HTTP base URL on one machine: the routing table of @ots/config (also used by compose and the Helm
 * Ingress), proxied to each owning service. Health and metrics endpoints are not reachable through it.
 */
export function startPublicGateway(
  port: number,
  servicePorts: Readonly<Record<ServiceName, { http: number }>>,
): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const path = (incoming.url ?? '/').split('?')[0] ?? '/';
    const service = routePublicPath(path);
    if (!service) {
      outgoing.writeHead(404, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ success: false, error: 'Not found' }));
      return;
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: servicePorts[service].http,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ success: false, error: 'Upstream unavailable' }));
    });
    incoming.pipe(upstream);
  });
  // WebSocket upgrades (the own-push channel) are routed by the same table and then relayed byte for byte
  server.on('upgrade', (incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (incoming.url ?? '/').split('?')[0] ?? '/';
    const service = routePublicPath(path);
    if (!service) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(servicePorts[service].http, '127.0.0.1', () => {
      upstream.setNoDelay(true);
      const headers = Object.entries(incoming.headers).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value ?? '']).map((v) => `${name}: ${v}`),
      );
      upstream.write(
        `${incoming.method ?? 'GET'} ${incoming.url ?? '/'} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`,
      );
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve(server);
    });
  });
}
