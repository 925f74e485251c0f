import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { freePort } from '../ports/free-port';
import { httpGet } from './http-get';

describe('httpGet', () => {
  it('returns status, headers, body and parsed JSON', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"status":"not ready"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const result = await httpGet(`http://127.0.0.1:${String(port)}/readyz`);
    server.close();
    expect(result.status).toBe(503);
    expect(result.headers['content-type']).toBe('application/json');
    expect(result.json).toEqual({ status: 'not ready' });
  });

  it('rejects when nothing listens', async () => {
    await expect(httpGet(`http://127.0.0.1:${String(await freePort())}/`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
