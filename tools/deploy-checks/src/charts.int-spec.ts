import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PUBLIC_ROUTES } from '@ots/config';
import { findWorkspaceRoot } from '@ots/db-tools';
import Ajv from 'ajv';
import { parse } from 'yaml';

import { DASHBOARDS, SERVICES } from './dashboards';
import {
  buildMinihelm,
  type K8sObject,
  render,
  type RenderResult,
  validateObjects,
} from './testing/minihelm';

// The charts, rendered the way CI can without a helm binary (design/toolchain.md §6): minihelm (Go text/template +
// sprig) renders them, kubernetes-models validates every object, ajv validates the final values of every chart
// against its values.schema.json (as `helm install` does), and the policy checks below hold for every workload.
const root = findWorkspaceRoot(__dirname);
const projectDir = join(root, 'tools', 'deploy-checks');
const charts = join(root, 'charts');
const umbrella = join(charts, 'ots');
const siteFiles = {
  'site-a': join(umbrella, 'values-site-a.yaml'),
  'site-b': join(umbrella, 'values-site-b.yaml'),
};

const DATABASE_USERS = ['directory', 'mailbox', 'push'];

interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  ports?: { name: string; containerPort: number }[];
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  automountServiceAccountToken?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: unknown; secret?: unknown }[];
}
interface Workload extends K8sObject {
  spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}
interface Peer {
  podSelector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; values: string[] }[];
  };
  ipBlock?: { cidr: string };
  namespaceSelector?: unknown;
}
interface NetworkPolicy extends K8sObject {
  spec: {
    podSelector: { matchLabels: Record<string, string> };
    policyTypes: string[];
    ingress?: { from?: Peer[]; ports?: { port: number | string }[] }[];
    egress?: { to?: Peer[]; ports?: { port: number | string }[] }[];
  };
}

const byKind = <T extends K8sObject = K8sObject>(objects: readonly K8sObject[], kind: string): T[] =>
  objects.filter((object) => object.kind === kind) as T[];
const workloads = (objects: readonly K8sObject[]): Workload[] =>
  objects.filter((object) =>
    ['Deployment', 'Job', 'StatefulSet', 'DaemonSet'].includes(object.kind),
  ) as Workload[];
const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);
const env = (container: Container): Map<string, NonNullable<Container['env']>[number]> =>
  new Map((container.env ?? []).map((entry) => [entry.name, entry]));
const serviceOf = (workload: Workload): string =>
  workload.spec.template.metadata.labels['app.kubernetes.io/name'];

/** `variable` names per section of docs/configuration.md, and those marked required. */
function documentedVariables(): { all: Map<string, Set<string>>; required: Map<string, Set<string>> } {
  const text = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
  const all = new Map<string, Set<string>>();
  const required = new Map<string, Set<string>>();
  for (const section of text.split(/^## /m).slice(1)) {
    const title = section.split('\n')[0].trim();
    const names = new Set<string>();
    const requiredNames = new Set<string>();
    // a row may name several variables: `GRPC_HOST` / `GRPC_PORT`, or `PUSH_RETRY_BASE_MS / PUSH_RETRY_MAX_MS`
    for (const match of section.matchAll(/^\| (`[^|]+`)\s*\|([^|]*)\|/gm))
      for (const cell of match[1].matchAll(/`([^`]+)`/g))
        for (const name of cell[1].split(/\s*\/\s*/)) {
          if (!/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
          names.add(name);
          if (match[2].includes('**required**')) requiredNames.add(name);
        }
    all.set(title, names);
    required.set(title, requiredNames);
  }
  return { all, required };
}

/** The CMD of the Dockerfile's migrate stage (exec form). */
function dockerfileMigrateCommand(): string[] {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const stage = dockerfile.split(/^FROM /m).find((part) => /\bAS migrate\b/.test(part.split('\n')[0]));
  const cmd = /^CMD (\[.*\])$/m.exec(stage ?? '');
  if (!cmd) throw new Error('Dockerfile has no migrate stage with an exec-form CMD');
  return JSON.parse(cmd[1]) as string[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
function schemaErrors(result: RenderResult): string[] {
  const errors: string[] = [];
  for (const [chart, { schema, hasSchema, values }] of Object.entries(result.values)) {
    if (!hasSchema || schema === null) {
      errors.push(`${chart}: no values.schema.json`);
      continue;
    }
    const validate = ajv.compile(schema);
    if (!validate(values))
      for (const error of validate.errors ?? [])
        errors.push(
          `${chart}: ${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
        );
  }
  return errors;
}

describe('Helm charts', () => {
  let minihelm: string;
  beforeAll(() => {
    minihelm = buildMinihelm(projectDir);
  }, 180_000);

  const cases: [string, string, string[]][] = [
    ...SERVICES.map((service): [string, string, string[]] => [
      `ots-${service} (defaults)`,
      join(charts, `ots-${service}`),
      [],
    ]),
    ['ots umbrella (defaults)', umbrella, []],
    ['ots umbrella, site A', umbrella, [siteFiles['site-a']]],
    ['ots umbrella, site B', umbrella, [siteFiles['site-b']]],
  ];

  describe.each(cases)('%s', (_name, chartDir, valueFiles) => {
    let result: RenderResult;
    beforeAll(() => {
      result = render(minihelm, chartDir, { valueFiles });
    });

    it('renders', () => {
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      expect(result.objects.length).toBeGreaterThan(5);
    });

    it('passes every chart values.schema.json', () => {
      expect(schemaErrors(result)).toEqual([]);
    });

    it('validates every object against the Kubernetes API schemas', () => {
      const results = validateObjects(projectDir, result.objects);
      expect(results).toHaveLength(result.objects.length);
      const problems = results.filter(
        (entry) =>
          entry.error !== null &&
          !(entry.error === 'no schema' && entry.apiVersion === 'postgresql.cnpg.io/v1'),
      );
      expect(problems).toEqual([]);
    });

    it('runs every pod non-root, read-only, without capabilities or a service-account token, with RuntimeDefault seccomp', () => {
      const pods = workloads(result.objects);
      expect(pods.length).toBeGreaterThan(0);
      for (const workload of pods) {
        const pod = workload.spec.template.spec;
        const id = `${workload.kind}/${workload.metadata.name}`;
        expect({ id, automount: pod.automountServiceAccountToken }).toEqual({ id, automount: false });
        expect({ id, pod: pod.securityContext }).toEqual({
          id,
          pod: expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }),
        });
        expect(Number(pod.securityContext?.runAsUser)).toBeGreaterThan(0);
        for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
          const cid = `${id}/${container.name}`;
          expect({ cid, securityContext: container.securityContext }).toEqual({
            cid,
            securityContext: expect.objectContaining({
              runAsNonRoot: true,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            }),
          });
          expect({ cid, requests: container.resources?.requests }).toEqual({
            cid,
            requests: expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
          });
          expect({ cid, memoryLimit: container.resources?.limits?.memory }).toEqual({
            cid,
            memoryLimit: expect.any(String),
          });
          expect(container.image).not.toMatch(/:latest$/);
          // a read-only root needs a writable /tmp
          expect(container.volumeMounts?.some((mount) => mount.mountPath === '/tmp')).toBe(true);
        }
      }
    });

    it('probes every Deployment: liveness /healthz, readiness /readyz', () => {
      for (const deployment of byKind<Workload>(result.objects, 'Deployment')) {
        for (const container of deployment.spec.template.spec.containers) {
          expect({
            name: deployment.metadata.name,
            liveness: container.livenessProbe?.httpGet?.path,
          }).toEqual({
            name: deployment.metadata.name,
            liveness: '/healthz',
          });
          expect({
            name: deployment.metadata.name,
            readiness: container.readinessProbe?.httpGet?.path,
          }).toEqual({
            name: deployment.metadata.name,
            readiness: '/readyz',
          });
        }
      }
    });

    it('gives every Deployment a PodDisruptionBudget and every workload a default-deny NetworkPolicy', () => {
      const pdbs = byKind<K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } }>(
        result.objects,
        'PodDisruptionBudget',
      );
      const policies = byKind<NetworkPolicy>(result.objects, 'NetworkPolicy');
      for (const workload of workloads(result.objects)) {
        const labels = workload.spec.template.metadata.labels;
        const id = `${workload.kind}/${workload.metadata.name}`;
        if (workload.kind === 'Deployment')
          expect({ id, pdb: pdbs.some((pdb) => selects(pdb.spec.selector.matchLabels, labels)) }).toEqual({
            id,
            pdb: true,
          });
        const own = policies.filter((policy) => selects(policy.spec.podSelector.matchLabels, labels));
        expect({ id, policies: own.length }).toEqual({ id, policies: 1 });
        expect(own[0].spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
      }
    });

    it('reaches PostgreSQL only from directory, mailbox, push and the migration job', () => {
      for (const policy of byKind<NetworkPolicy>(result.objects, 'NetworkPolicy')) {
        const service = policy.spec.podSelector.matchLabels['app.kubernetes.io/name'];
        // every egress rule names its ports: a rule without ports would open PostgreSQL too
        for (const rule of policy.spec.egress ?? [])
          expect({ service, ports: (rule.ports ?? []).length > 0 }).toEqual({ service, ports: true });
        const database = (policy.spec.egress ?? []).some((rule) =>
          (rule.ports ?? []).some((p) => Number(p.port) === 5432),
        );
        expect({ service, database }).toEqual({
          service,
          database: [...DATABASE_USERS, 'migrate'].includes(service),
        });
      }
      for (const workload of workloads(result.objects)) {
        const service = serviceOf(workload);
        const variables = env(workload.spec.template.spec.containers[0]);
        expect({ service, DATABASE_URL: variables.has('DATABASE_URL') }).toEqual({
          service,
          DATABASE_URL: [...DATABASE_USERS, 'migrate'].includes(service),
        });
      }
    });

    it('passes secrets only by reference, never as values', () => {
      expect(byKind(result.objects, 'Secret')).toEqual([]);
      for (const workload of workloads(result.objects))
        for (const container of workload.spec.template.spec.containers)
          for (const variable of container.env ?? []) {
            expect(variable.name).not.toMatch(/PASSWORD|SECRET_KEY$|TOKEN$/);
            if (variable.name === 'DATABASE_URL')
              expect(variable.valueFrom?.secretKeyRef?.name).toEqual(expect.any(String));
          }
    });

    it('sets exactly the documented variables of each service (docs/configuration.md)', () => {
      const { all, required } = documentedVariables();
      const common = all.get('Common to all five services') ?? new Set<string>();
      const image = all.get('Container image') ?? new Set<string>();
      expect(common.size).toBeGreaterThan(4);
      for (const deployment of byKind<Workload>(result.objects, 'Deployment')) {
        const service = serviceOf(deployment);
        const own = all.get(service);
        expect({ service, documented: own !== undefined }).toEqual({ service, documented: true });
        const allowed = new Set([...common, ...image, ...(own ?? [])]);
        const set = [...env(deployment.spec.template.spec.containers[0]).keys()];
        expect({ service, undocumented: set.filter((name) => !allowed.has(name)) }).toEqual({
          service,
          undocumented: [],
        });
        const missing = [
          ...(required.get('Common to all five services') ?? []),
          ...(required.get(service) ?? []),
        ].filter((name) => !set.includes(name));
        expect({ service, missing }).toEqual({ service, missing: [] });
        expect(env(deployment.spec.template.spec.containers[0]).get('SERVICE')?.value).toBe(service);
      }
    });
  });

  describe('umbrella chart per site', () => {
    const renders: Record<string, RenderResult> = {};
    beforeAll(() => {
      for (const [site, file] of Object.entries(siteFiles))
        renders[site] = render(minihelm, umbrella, { valueFiles: [file] });
      renders.default = render(minihelm, umbrella);
    });

    it.each(Object.keys(siteFiles))('%s: OTS_SITE is the site name on every service', (site) => {
      const deployments = byKind<Workload>(renders[site].objects, 'Deployment');
      expect(deployments.map(serviceOf).sort()).toEqual([...SERVICES].sort());
      for (const deployment of deployments)
        expect(env(deployment.spec.template.spec.containers[0]).get('OTS_SITE')?.value).toBe(site);
    });

    it('runs one migration Job before install and upgrade, with the Dockerfile migrate command', () => {
      const jobs = byKind<Workload>(renders.default.objects, 'Job');
      expect(jobs).toHaveLength(1);
      expect(jobs[0].metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      const container = jobs[0].spec.template.spec.containers[0];
      expect(container.command).toEqual(dockerfileMigrateCommand());
      expect(container.image).toMatch(/^ots-migrate:/);
    });

    it('dials the directory through a headless gRPC Service (client-side round robin)', () => {
      const objects = renders.default.objects;
      const headless = byKind<
        K8sObject & { spec: { clusterIP?: string; ports: { port: number; name: string }[] } }
      >(objects, 'Service').find((service) => service.metadata.name === 'ots-directory-grpc');
      expect(headless?.spec.clusterIP).toBe('None');
      const target = `ots-directory-grpc:${String(headless?.spec.ports[0].port)}`;
      const clients = byKind<Workload>(objects, 'Deployment').filter((deployment) =>
        ['mailbox', 'contact-sync', 'data-export'].includes(serviceOf(deployment)),
      );
      expect(clients).toHaveLength(3);
      for (const client of clients)
        expect(env(client.spec.template.spec.containers[0]).get('DIRECTORY_GRPC_URL')?.value).toBe(target);
    });

    it('gives contact-sync its node flags (nodeArgs → OTS_NODE_ARGS, docs/adr/0025) and no other service any', () => {
      const deployments = byKind<Workload>(renders.default.objects, 'Deployment');
      expect(deployments.map(serviceOf)).toContain('contact-sync');
      for (const deployment of deployments) {
        const nodeArgs = env(deployment.spec.template.spec.containers[0]).get('OTS_NODE_ARGS')?.value;
        if (serviceOf(deployment) === 'contact-sync') expect(nodeArgs).toMatch(/--max-semi-space-size=\d+/);
        else expect(nodeArgs).toBeUndefined();
      }
    });

    it('dials push and the mailbox through headless gRPC Services on their GRPC_PORT', () => {
      const objects = renders.default.objects;
      const services = byKind<
        K8sObject & { spec: { clusterIP?: string; ports: { port: number; name: string }[] } }
      >(objects, 'Service');
      const deployments = byKind<Workload>(objects, 'Deployment');
      const grpcPortOf = (service: string): number => {
        const deployment = deployments.find((candidate) => serviceOf(candidate) === service);
        const container = deployment?.spec.template.spec.containers[0];
        const grpcPort = Number(container ? env(container).get('GRPC_PORT')?.value : NaN);
        expect(container?.ports).toContainEqual({ name: 'grpc', containerPort: grpcPort, protocol: 'TCP' });
        return grpcPort;
      };
      for (const [service, port] of [
        ['push', 9103],
        ['mailbox', 9102],
      ] as const) {
        expect(grpcPortOf(service)).toBe(port);
        const headless = services.find((candidate) => candidate.metadata.name === `ots-${service}-grpc`);
        expect(headless?.spec.clusterIP).toBe('None');
        expect(headless?.spec.ports).toEqual([expect.objectContaining({ name: 'grpc', port })]);
      }
      const mailbox = deployments.find((deployment) => serviceOf(deployment) === 'mailbox');
      expect(mailbox && env(mailbox.spec.template.spec.containers[0]).get('PUSH_GRPC_URL')?.value).toBe(
        'ots-push-grpc:9103',
      );
    });

    it('allows exactly the gRPC and CSP flows of the architecture between the services', () => {
      const policies = byKind<NetworkPolicy>(renders.default.objects, 'NetworkPolicy');
      const policy = (service: string): NetworkPolicy | undefined =>
        policies.find(
          (candidate) => candidate.spec.podSelector.matchLabels['app.kubernetes.io/name'] === service,
        );
      const egressTo = (service: string): string[] =>
        (policy(service)?.spec.egress ?? []).flatMap((rule) =>
          (rule.to ?? []).flatMap((peer) => {
            const name = peer.podSelector?.matchLabels?.['app.kubernetes.io/name'];
            return name && (SERVICES as readonly string[]).includes(name)
              ? (rule.ports ?? []).map((p) => `${name}:${String(p.port)}`)
              : [];
          }),
        );
      const ingressFrom = (service: string, port: string): string[] =>
        (policy(service)?.spec.ingress ?? [])
          .filter((rule) => (rule.ports ?? []).some((p) => p.port === port))
          .flatMap((rule) =>
            (rule.from ?? []).flatMap((peer) => {
              const selector = peer.podSelector;
              const name = selector?.matchLabels?.['app.kubernetes.io/name'];
              if (name) return [name];
              return (
                selector?.matchExpressions?.find((e) => e.key === 'app.kubernetes.io/name')?.values ?? []
              );
            }),
          )
          .sort();
      expect(egressTo('mailbox').sort()).toEqual(['directory:9101', 'push:9103']);
      expect(egressTo('data-export').sort()).toEqual([
        'directory:9101',
        'mailbox:5222',
        'mailbox:9102',
        'push:9103',
      ]);
      expect(egressTo('push')).toEqual([]);
      expect(egressTo('contact-sync')).toEqual(['directory:9101']);
      expect(ingressFrom('push', 'grpc')).toEqual(['data-export', 'mailbox']);
      expect(ingressFrom('mailbox', 'grpc')).toEqual(['data-export']);
      expect(ingressFrom('directory', 'grpc')).toEqual(['contact-sync', 'data-export', 'mailbox']);
    });

    it('publishes the chat server through a TCP LoadBalancer on CSP_PORT', () => {
      const objects = renders.default.objects;
      const mailbox = byKind<Workload>(objects, 'Deployment').find(
        (deployment) => serviceOf(deployment) === 'mailbox',
      );
      const container = mailbox?.spec.template.spec.containers[0];
      const cspPort = Number(container ? env(container).get('CSP_PORT')?.value : NaN);
      expect(cspPort).toBe(5222);
      expect(container?.ports).toContainEqual({ name: 'csp', containerPort: cspPort, protocol: 'TCP' });
      const service = byKind<K8sObject & { spec: Record<string, unknown> }>(objects, 'Service').find(
        (candidate) => candidate.metadata.name === 'ots-mailbox-csp',
      );
      expect(service?.spec).toMatchObject({
        type: 'LoadBalancer',
        ports: [{ name: 'csp', port: 5222, targetPort: 'csp', protocol: 'TCP' }],
      });
    });

    it('routes the public paths exactly like PUBLIC_ROUTES', () => {
      const objects = renders['site-a'].objects;
      const ingresses = byKind<
        K8sObject & {
          spec: {
            rules: {
              host?: string;
              http: {
                paths: { path: string; backend: { service: { name: string; port: { number: number } } } }[];
              };
            }[];
          };
        }
      >(objects, 'Ingress');
      expect(ingresses).toHaveLength(1);
      // privacy: the controller writes no access log (client addresses, paths with identity IDs)
      expect(ingresses[0].metadata.annotations?.['nginx.ingress.kubernetes.io/enable-access-log']).toBe(
        'false',
      );
      const paths = ingresses[0].spec.rules[0].http.paths;
      expect(paths.map((path) => ({ pathPrefix: path.path, service: path.backend.service.name }))).toEqual(
        PUBLIC_ROUTES.map((route) => ({ pathPrefix: route.pathPrefix, service: `ots-${route.service}` })),
      );
      const services = byKind<K8sObject & { spec: { ports: { name: string; port: number }[] } }>(
        objects,
        'Service',
      );
      for (const path of paths) {
        const backend = services.find((service) => service.metadata.name === path.backend.service.name);
        expect(backend?.spec.ports.find((port) => port.name === 'http')?.port).toBe(
          path.backend.service.port.number,
        );
      }
    });

    it('ships the rule file as a PrometheusRule with absolute runbook links', () => {
      const rules = parse(readFileSync(join(umbrella, 'files', 'prometheus', 'ots.rules.yaml'), 'utf8')) as {
        groups: { rules: { alert?: string; annotations?: Record<string, string> }[] }[];
      };
      const [rule] = byKind<K8sObject & { spec: typeof rules }>(renders['site-a'].objects, 'PrometheusRule');
      const base = (
        parse(readFileSync(siteFiles['site-a'], 'utf8')) as { monitoring: { runbookBaseUrl: string } }
      ).monitoring.runbookBaseUrl;
      const expected = JSON.parse(
        JSON.stringify(rules).replaceAll('"docs/operations/runbooks/', `"${base}/docs/operations/runbooks/`),
      ) as typeof rules;
      expect(rule.spec).toEqual(expected);
    });

    it('ships every dashboard as a ConfigMap for the Grafana sidecar', () => {
      const maps = byKind(renders.default.objects, 'ConfigMap').filter(
        (map) => map.metadata.labels?.grafana_dashboard === '1',
      );
      const files = DASHBOARDS.map((dashboard) => dashboard.file);
      expect(maps).toHaveLength(files.length);
      for (const file of files) {
        const map = maps.find((candidate) => Object.keys(candidate.data ?? {}).includes(file));
        expect(JSON.parse(map?.data?.[file] ?? 'null')).toEqual(
          JSON.parse(readFileSync(join(umbrella, 'files', 'dashboards', file), 'utf8')),
        );
      }
    });

    it('declares the CloudNativePG primary at site A and a synchronous replica cluster at site B', () => {
      interface ClusterSpec {
        replica: { primary: string; source: string };
        bootstrap: Record<string, unknown>;
        postgresql: { synchronous: { standbyNamesPre: string[] } };
      }
      const cluster = (site: string): ClusterSpec => {
        const clusters = byKind(renders[site].objects, 'Cluster');
        expect(clusters).toHaveLength(1);
        return clusters[0].spec as ClusterSpec;
      };
      const a = cluster('site-a');
      const b = cluster('site-b');
      expect(a.replica.primary).toBe('ots-db-site-a');
      expect(b.replica.primary).toBe('ots-db-site-a');
      expect(a.bootstrap).toHaveProperty('initdb');
      expect(b.bootstrap).toEqual({ pg_basebackup: { source: 'ots-db-site-a' } });
      expect(a.replica.source).toBe('ots-db-site-b');
      expect(a.postgresql.synchronous).toMatchObject({
        number: 1,
        standbyNamesPre: ['ots-db-site-b'],
        dataDurability: 'required',
        maxStandbyNamesFromCluster: 0,
      });
      expect(b.postgresql.synchronous.standbyNamesPre).toEqual(['ots-db-site-a']);
    });
  });

  describe('values.schema.json rejects mistakes', () => {
    const rejected: [string, string[], RegExp][] = [
      [
        'a typo in a service key',
        ['directory.replicaCont=3'],
        /ots\/charts\/directory: \/ must NOT have additional properties.*replicaCont/,
      ],
      [
        'a wrong type',
        ['mailbox.replicaCount=three'],
        /ots\/charts\/mailbox: \/replicaCount must be integer/,
      ],
      [
        'a typo in a global key',
        ['global.sitee=a'],
        /^ots: \/global must NOT have additional properties.*sitee/,
      ],
      ['a bad site name', ['global.site=Site_A'], /^ots: \/global\/site must match pattern/],
      ['a boolean given as a word', ['ingress.enabled=yes'], /^ots: \/ingress\/enabled must be boolean/],
      [
        'database settings for contact-sync',
        ['contact-sync.database.existingSecret=x'],
        /contact-sync: \/ must NOT have additional properties.*database/,
      ],
      [
        'two data-export replicas',
        ['data-export.replicaCount=2'],
        /data-export: \/replicaCount must be <= 1/,
      ],
    ];
    it.each(rejected)('%s', (_name, set, message) => {
      const result = render(minihelm, umbrella, { set });
      expect(result.status).toBe(0);
      const errors = schemaErrors(result);
      expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });

    it('accepts the same keys with valid values', () => {
      const result = render(minihelm, umbrella, {
        set: [
          'directory.replicaCount=3',
          'mailbox.replicaCount=4',
          'global.site=site-c',
          'ingress.enabled=false',
        ],
      });
      expect(schemaErrors(result)).toEqual([]);
    });
  });

  it('keeps the generated files (routes, dashboards, schemas) up to date: run `npx nx run deploy-checks:generate`', () => {
    // a child process: Prettier (which formats the generated files) loads its plugins with import(), which Jest's
    // CommonJS runtime does not support
    const result = spawnSync(
      'node',
      ['--import', 'tsx', join(projectDir, 'src', 'generate.cli.ts'), '--check'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
