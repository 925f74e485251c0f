import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { findWorkspaceRoot } from '@ots/db-tools';
import { parse } from 'yaml';

// The values we ship for the official NATS chart: one JetStream cluster per site, both joined by gateways into one
// supercluster, metrics for Prometheus, and the same pod hardening as our own charts.
const root = findWorkspaceRoot(__dirname);
const SITES = ['site-a', 'site-b'] as const;

interface NatsValues {
  config: {
    cluster: { enabled: boolean; replicas: number; name: string };
    jetstream: { enabled: boolean; fileStore: { enabled: boolean; pvc: { enabled: boolean; size: string } } };
    gateway: {
      enabled: boolean;
      port: number;
      merge: { name: string; gateways: { name: string; urls: string[] }[] };
    };
    monitor: { enabled: boolean };
  };
  promExporter: { enabled: boolean; podMonitor: { enabled: boolean } };
  podTemplate: { merge: { spec: { securityContext: Record<string, unknown> } } };
  container: { merge: { securityContext: Record<string, unknown> } };
}

const values = (site: string): NatsValues =>
  parse(readFileSync(join(root, 'deploy', 'nats', `values-${site}.yaml`), 'utf8')) as NatsValues;

describe('NATS chart values per site', () => {
  it.each(SITES.map((site) => [site]))(
    '%s: a 3-server JetStream cluster named after the site, with metrics',
    (site) => {
      const { config, promExporter } = values(site);
      expect(config.cluster).toMatchObject({ enabled: true, replicas: 3, name: site });
      expect(config.jetstream).toMatchObject({
        enabled: true,
        fileStore: { enabled: true, pvc: { enabled: true } },
      });
      expect(config.monitor.enabled).toBe(true);
      expect(promExporter).toMatchObject({ enabled: true, podMonitor: { enabled: true } });
    },
  );

  it.each(SITES.map((site) => [site]))('%s: runs hardened like our own pods', (site) => {
    const { podTemplate, container } = values(site);
    expect(podTemplate.merge.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.merge.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('joins both clusters into one supercluster over gateways', () => {
    const gateways = SITES.map((site) => values(site).config.gateway);
    for (const [index, gateway] of gateways.entries()) {
      expect(gateway.enabled).toBe(true);
      // the gateway name is the cluster name, and every site lists every gateway, its own included
      expect(gateway.merge.name).toBe(SITES[index]);
      expect(gateway.merge.gateways.map((entry) => entry.name).sort()).toEqual([...SITES]);
      for (const entry of gateway.merge.gateways) expect(entry.urls.length).toBeGreaterThan(0);
    }
    expect(gateways[0].merge.gateways).toEqual(gateways[1].merge.gateways);
  });

  it('is the NATS the services of the same site connect to', () => {
    for (const site of SITES) {
      const chartValues = parse(readFileSync(join(root, 'charts', 'ots', `values-${site}.yaml`), 'utf8')) as {
        global: { site: string; nats: { url: string } };
      };
      expect(chartValues.global).toEqual({ site, nats: { url: 'nats://nats:4222' } });
    }
  });
});
