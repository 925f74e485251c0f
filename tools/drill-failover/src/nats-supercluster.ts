// NATS for two sites: one JetStream server per site, each its own cluster, joined by gateways into a supercluster
// (docs/operations/two-sites.md; production runs three servers per site, the topology is the same).
import { writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';

import {
  findNatsServer,
  freePort,
  isNatsHealthy,
  ServerProcess,
  ServerResource,
  waitFor,
} from '@ots/testing';

export const SITES = ['site-a', 'site-b'] as const;
export type Site = (typeof SITES)[number];

export interface NatsSite {
  readonly site: Site;
  readonly url: string;
  readonly monitorPort: number;
  readonly pid: number;
  kill(): void;
  stop(): Promise<void>;
}

interface SitePorts {
  readonly client: number;
  readonly monitor: number;
  readonly cluster: number;
  readonly gateway: number;
}

/** The server's configuration file: its own cluster (JetStream clustering needs one) and gateways to every site. */
export function natsConfig(site: Site, storeDir: string, ports: Record<Site, SitePorts>): string {
  const own = ports[site];
  const gateways = SITES.map(
    (name) => `    { name: ${name}, urls: ["nats://127.0.0.1:${String(ports[name].gateway)}"] }`,
  ).join('\n');
  return [
    `server_name: ${site}`,
    `listen: 127.0.0.1:${String(own.client)}`,
    `http: 127.0.0.1:${String(own.monitor)}`,
    `jetstream { store_dir: "${storeDir}", max_mem: 64MB, max_file: 256MB }`,
    `cluster { name: ${site}, listen: 127.0.0.1:${String(own.cluster)}, routes: ["nats-route://127.0.0.1:${String(own.cluster)}"] }`,
    `gateway {\n  name: ${site}\n  listen: 127.0.0.1:${String(own.gateway)}\n  gateways: [\n${gateways}\n  ]\n}`,
    '',
  ].join('\n');
}

function monitorJson(port: number, path: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path, agent: false, timeout: 2_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(body) as Record<string, unknown>);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`${path} did not answer`)));
    request.on('error', reject);
  });
}

/** The server's /healthz status: "ok", or why not (e.g. JetStream without a meta leader). */
export async function natsHealth(site: NatsSite): Promise<string> {
  const health = await monitorJson(site.monitorPort, '/healthz');
  return typeof health.error === 'string' ? health.error : String(health.status);
}

/** /gatewayz names the other site among both the outbound and the inbound gateways: the supercluster is joined. */
export async function gatewaysConnected(site: NatsSite, other: Site): Promise<boolean> {
  const gatewayz = (await monitorJson(site.monitorPort, '/gatewayz')) as {
    outbound_gateways?: Partial<Record<string, unknown>>;
    inbound_gateways?: Partial<Record<string, unknown[]>>;
  };
  const outbound = gatewayz.outbound_gateways ?? {};
  const inbound = gatewayz.inbound_gateways ?? {};
  return outbound[other] !== undefined && (inbound[other]?.length ?? 0) > 0;
}

export async function startNatsSupercluster(onLog?: (line: string) => void): Promise<Record<Site, NatsSite>> {
  const binary = findNatsServer();
  const ports = {} as Record<Site, SitePorts>;
  for (const site of SITES) {
    ports[site] = {
      client: await freePort(),
      monitor: await freePort(),
      cluster: await freePort(),
      gateway: await freePort(),
    };
  }
  const resources: ServerResource[] = [];
  try {
    const started = {} as Record<Site, NatsSite>;
    for (const site of SITES) {
      const resource = await ServerResource.create({
        dirPrefix: `ots-drill-nats-${site}-`,
        description: `nats-server ${site}`,
        stopSignal: 'SIGTERM',
        urgentSignal: 'SIGKILL',
        killAfterMs: 5_000,
      });
      resources.push(resource);
      const configFile = join(resource.dir, 'nats.conf');
      await writeFile(configFile, natsConfig(site, join(resource.dir, 'jetstream'), ports));
      const server = ServerProcess.spawn(binary, ['-c', configFile], { env: process.env, onLog });
      resource.attach(server);
      started[site] = {
        site,
        url: `nats://127.0.0.1:${String(ports[site].client)}`,
        monitorPort: ports[site].monitor,
        pid: server.pid,
        kill: () => {
          server.signalNow('SIGKILL');
        },
        stop: () => resource.stop(),
      };
    }
    // /healthz is ok once JetStream has a meta leader, which needs both sites
    for (const site of SITES) {
      await waitFor(() => isNatsHealthy(ports[site].monitor), {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: `nats-server ${site} healthy`,
      });
    }
    return started;
  } catch (error) {
    await Promise.allSettled(resources.map((resource) => resource.stop()));
    throw error;
  }
}
