import { natsConfig } from './nats-supercluster';

describe('natsConfig', () => {
  const ports = {
    'site-a': { client: 4222, monitor: 8222, cluster: 6222, gateway: 7222 },
    'site-b': { client: 4223, monitor: 8223, cluster: 6223, gateway: 7223 },
  };

  it('gives each site its own JetStream cluster and gateways to both sites', () => {
    const config = natsConfig('site-b', '/tmp/js', ports);
    expect(config).toContain('server_name: site-b');
    expect(config).toContain('listen: 127.0.0.1:4223');
    expect(config).toContain('jetstream { store_dir: "/tmp/js"');
    expect(config).toContain('cluster { name: site-b, listen: 127.0.0.1:6223');
    expect(config).toContain('{ name: site-a, urls: ["nats://127.0.0.1:7222"] }');
    expect(config).toContain('{ name: site-b, urls: ["nats://127.0.0.1:7223"] }');
    expect(config).toMatch(/gateway \{\n {2}name: site-b\n {2}listen: 127\.0\.0\.1:7223/);
  });
});
