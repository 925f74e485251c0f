import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

import { choosablePortRange, freePort, freePorts } from './free-port';

const listenOn = (port: number) => {
  const server = createServer();
  return new Promise<typeof server>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      resolve(server);
    });
  });
};
const close = (server: ReturnType<typeof createServer>) => new Promise((resolve) => server.close(resolve));

describe('freePort', () => {
  it('returns a port that can be bound on 127.0.0.1 right away', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
    await close(await listenOn(port));
  });

  it('chooses below the ephemeral range, where outgoing connections and port-0 binds never take ports', async () => {
    const ephemeralLow = Number(
      /^\s*(\d+)/.exec(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'))?.[1],
    );
    expect(ephemeralLow).toBeGreaterThan(11_000);
    const ports = await freePorts(20);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralLow);
    }
  });
});

describe('freePort, called again and again', () => {
  // the kernel's port-0 binds gave a port out twice within 9 calls in 3 of 200 runs: two servers, one port
  it('never hands out a port twice in one process, one call after another', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 500; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(500);
  });

  it('never hands out a port twice to calls that run at the same time', async () => {
    const ports = await Promise.all(Array.from({ length: 100 }, () => freePort()));
    expect(new Set(ports).size).toBe(100);
  });
});

describe('freePorts', () => {
  it('returns distinct ports', async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
  });

  it('skips ports that are taken', async () => {
    const range = choosablePortRange(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'));
    if (range === undefined) throw new Error('this machine has no room below its ephemeral range');
    // hold 50 ports, then ask for many more: none of the held ones may come back
    const held = await freePorts(50);
    const servers = await Promise.all(held.map(listenOn));
    try {
      const chosen = await freePorts(200);
      expect(chosen.filter((port) => held.includes(port))).toEqual([]);
      expect(new Set(chosen).size).toBe(200);
    } finally {
      await Promise.all(servers.map(close));
    }
  });
});

describe('choosablePortRange', () => {
  it('is 10000 up to just below the ephemeral range', () => {
    expect(choosablePortRange('32768\t60999\n')).toEqual({ low: 10_000, high: 32_767 });
  });

  it('is undefined when the range cannot be read or leaves no room below it', () => {
    expect(choosablePortRange(undefined)).toBeUndefined();
    expect(choosablePortRange('not a range')).toBeUndefined();
    expect(choosablePortRange('1024 65535')).toBeUndefined();
    expect(choosablePortRange('10500 65535')).toBeUndefined();
  });
});
