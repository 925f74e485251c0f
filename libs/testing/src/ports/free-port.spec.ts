import { createServer } from 'node:net';

import { freePort, freePorts } from './free-port';

describe('freePort', () => {
  it('returns a port that can be bound on 127.0.0.1 right away', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);

    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port }, resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('freePorts', () => {
  it('returns distinct ports', async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
  });
});
