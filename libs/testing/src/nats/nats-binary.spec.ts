import { findNatsServer } from './nats-binary';

describe('findNatsServer', () => {
  it('prefers the first nats-server on PATH', () => {
    const present = new Set(['/opt/nats/nats-server', '/usr/sbin/nats-server']);
    expect(findNatsServer('/usr/bin:/opt/nats', (file) => present.has(file))).toBe('/opt/nats/nats-server');
  });

  it("falls back to Debian's /usr/sbin", () => {
    expect(findNatsServer('/usr/bin', (file) => file === '/usr/sbin/nats-server')).toBe(
      '/usr/sbin/nats-server',
    );
  });

  it('says how to install it when missing', () => {
    expect(() => findNatsServer('/usr/bin', () => false)).toThrow('apt-get install nats-server');
  });
});
