import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { findWorkspaceRoot } from '@ots/db-tools';
import { parse } from 'yaml';

import { SERVICES } from './dashboards';
import { buildMinihelm, type K8sObject, render } from './testing/minihelm';

// docker-compose and the Helm charts describe the same system: the same image and migration command, the same
// alert rules and dashboards, the same scrape job names. (tools/workspace-checks checks compose's own rules.)
const root = findWorkspaceRoot(__dirname);
const projectDir = join(root, 'tools', 'deploy-checks');

interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly target?: string };
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly volumes?: readonly string[];
}

function resolvedCompose(): { services: Record<string, ComposeService> } {
  const result = spawnSync(
    'docker-compose',
    [
      '--env-file',
      join(root, 'deploy', 'compose', '.env.example'),
      '--project-directory',
      root,
      '-f',
      'docker-compose.yml',
      'config',
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() },
      timeout: 60_000,
    },
  );
  if (result.error)
    throw new Error(`docker-compose could not run (apt-get install docker-compose): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);
  return parse(result.stdout) as { services: Record<string, ComposeService> };
}

/** host source of the volume mounted at target, resolved against the workspace */
function mountSource(service: ComposeService, target: string): string | undefined {
  const volume = (service.volumes ?? []).map((entry) => entry.split(':')).find(([, to]) => to === target);
  return volume ? resolve(root, volume[0]) : undefined;
}

interface Workload extends K8sObject {
  spec: {
    template: {
      spec: { containers: { image: string; command?: string[]; env?: { name: string; value?: string }[] }[] };
    };
  };
}

describe('docker-compose and the Helm charts', () => {
  let compose: { services: Record<string, ComposeService> };
  let objects: K8sObject[];
  beforeAll(() => {
    compose = resolvedCompose();
    objects = render(buildMinihelm(projectDir), join(root, 'charts', 'ots')).objects;
  }, 180_000);

  it('run the same image: the Dockerfile runtime stage as "ots", SERVICE naming the service', () => {
    const deployments = objects.filter((object) => object.kind === 'Deployment') as Workload[];
    expect(deployments).toHaveLength(SERVICES.length);
    for (const deployment of deployments) {
      const container = deployment.spec.template.spec.containers[0];
      const service = container.env?.find((entry) => entry.name === 'SERVICE')?.value ?? '';
      const composed = compose.services[service];
      expect(composed.build?.target).toBe('runtime');
      expect(container.image.split(':')[0]).toBe(composed.image?.split(':')[0]);
      expect(composed.environment?.SERVICE).toBe(service);
    }
  });

  it('run the same migration: the Dockerfile migrate stage with its default command', () => {
    const job = objects.find((object) => object.kind === 'Job') as Workload;
    const container = job.spec.template.spec.containers[0];
    const migrate = compose.services.migrate;
    expect(migrate.build?.target).toBe('migrate');
    expect(migrate.command).toBeUndefined();
    expect(container.image.split(':')[0]).toBe(migrate.image?.split(':')[0]);
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const stage = dockerfile.split(/^FROM /m).find((part) => / AS migrate\b/.test(part.split('\n')[0])) ?? '';
    expect(container.command).toEqual(JSON.parse(/^CMD (\[.*\])$/m.exec(stage)?.[1] ?? 'null'));
  });

  it('load the same alert rules and dashboards', () => {
    expect(mountSource(compose.services.prometheus, '/etc/prometheus/rules/ots.rules.yaml')).toBe(
      join(root, 'charts', 'ots', 'files', 'prometheus', 'ots.rules.yaml'),
    );
    expect(mountSource(compose.services.grafana, '/var/lib/ots-dashboards')).toBe(
      join(root, 'charts', 'ots', 'files', 'dashboards'),
    );
    const provider = parse(
      readFileSync(
        join(root, 'deploy', 'compose', 'grafana', 'provisioning', 'dashboards', 'ots.yaml'),
        'utf8',
      ),
    ) as { providers: { options: { path: string } }[] };
    expect(provider.providers[0].options.path).toBe('/var/lib/ots-dashboards');
  });

  it('scrape the services as job ots-<service> on their HTTP port, as the ServiceMonitors relabel them', () => {
    const config = parse(
      readFileSync(join(root, 'deploy', 'compose', 'prometheus', 'prometheus.yml'), 'utf8'),
    ) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    for (const service of SERVICES) {
      const job = config.scrape_configs.find((entry) => entry.job_name === `ots-${service}`);
      expect(job?.static_configs[0].targets).toEqual([
        `${service}:${compose.services[service].environment?.HTTP_PORT ?? ''}`,
      ]);
      const monitor = objects.find(
        (object) => object.kind === 'ServiceMonitor' && object.metadata.name === `ots-${service}`,
      ) as
        | (K8sObject & {
            spec: { endpoints: { relabelings: { targetLabel: string; replacement: string }[] }[] };
          })
        | undefined;
      expect(monitor?.spec.endpoints[0].relabelings).toContainEqual({
        targetLabel: 'job',
        replacement: `ots-${service}`,
      });
    }
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.rules.yaml']);
  });
});
