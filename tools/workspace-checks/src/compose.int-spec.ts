import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

import { PUBLIC_ROUTES } from '@ots/config';
import { findWorkspaceRoot } from '@ots/db-tools';
import { parse } from 'yaml';

// docker-compose.yml is validated the way CI can without a Docker engine: Debian's docker-compose 1.29 resolves
// and checks the file (`config`), and the resolved YAML is checked for the security properties we promise
// (style.md: healthchecks, service_healthy dependencies, dropped capabilities, required env vars) and for a proxy
// routing table equal to PUBLIC_ROUTES.
const root = findWorkspaceRoot(__dirname);
const composeFile = join(root, 'docker-compose.yml');
const envExample = join(root, 'deploy', 'compose', '.env.example');

const APP_SERVICES = ['directory', 'mailbox', 'push', 'contact-sync', 'data-export'] as const;
const STARTUP_CONDITIONS = ['service_healthy', 'service_completed_successfully'];

interface ComposeService {
  readonly image?: string;
  readonly build?: {
    readonly context?: string;
    readonly dockerfile?: string;
    readonly target?: string;
    readonly args?: Readonly<Record<string, string>>;
  };
  readonly command?: unknown;
  readonly user?: string;
  readonly entrypoint?: unknown;
  readonly restart?: string;
  readonly read_only?: boolean;
  readonly tmpfs?: string | readonly string[];
  readonly cap_drop?: readonly string[];
  readonly security_opt?: readonly string[];
  readonly healthcheck?: { readonly test?: string | readonly string[]; readonly disable?: boolean };
  readonly depends_on?: Readonly<Record<string, { readonly condition?: string }>> | readonly string[];
  readonly environment?: Readonly<Record<string, string | null>>;
  readonly secrets?: readonly ({ readonly source: string; readonly target?: string } | string)[];
  readonly volumes?: readonly string[];
}

interface ComposeConfig {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly secrets?: Readonly<Partial<Record<string, { readonly file?: string }>>>;
}

interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs docker-compose with only PATH and HOME, so a developer's shell or `.env` cannot supply a value. */
function dockerCompose(envFile: string, args: readonly string[]): CommandResult {
  const result = spawnSync(
    'docker-compose',
    ['--env-file', envFile, '--project-directory', root, '-f', composeFile, ...args],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  const error: NodeJS.ErrnoException | undefined = result.error;
  if (error?.code === 'ENOENT') {
    throw new Error(
      'docker-compose is not installed: run `apt-get install docker-compose` (Debian 12 ships 1.29, which validates ' +
        'compose files without a Docker engine; .ci/run installs it)',
    );
  }
  if (error) throw error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The uncommented `NAME=value` lines of .env.example: exactly the values the developer must provide. */
function requiredSettings(): [string, string][] {
  return readFileSync(envExample, 'utf8')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1], match[2]]);
}

function withTempEnvFile<T>(lines: readonly string[], use: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ots-compose-'));
  try {
    const path = join(dir, '.env');
    writeFileSync(path, `${lines.join('\n')}\n`);
    return use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function dependencies(service: ComposeService): Record<string, string | undefined> {
  const dependsOn = service.depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name: string) => [name, undefined]));
  return Object.fromEntries(
    Object.entries(dependsOn as Readonly<Record<string, { readonly condition?: string }>>).map(
      ([name, value]) => [name, value.condition],
    ),
  );
}

function asList(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** `location ^~ <prefix> { … set $ots_upstream http://<service>:<port>; … }` blocks, in file order. */
function proxyRoutes(nginxConfig: string): { pathPrefix: string; service: string; port: number }[] {
  const withoutComments = nginxConfig.replace(/#[^\n]*/g, '');
  const pattern =
    /location\s+\^~\s+(\S+)\s*\{[^}]*?set\s+\$ots_upstream\s+http:\/\/([a-z0-9-]+):(\d+)\s*;[^}]*\}/g;
  return [...withoutComments.matchAll(pattern)].map((match) => ({
    pathPrefix: match[1],
    service: match[2],
    port: Number(match[3]),
  }));
}

describe('docker-compose.yml', () => {
  const settings = requiredSettings();

  it('declares at least the database password, the chat server key file and the Grafana password as required', () => {
    expect(settings.map(([name]) => name)).toEqual(
      expect.arrayContaining(['POSTGRES_PASSWORD', 'OTS_CSP_SECRET_KEY_FILE', 'GRAFANA_ADMIN_PASSWORD']),
    );
  });

  it('is valid with the values of deploy/compose/.env.example', () => {
    const result = dockerCompose(envExample, ['config', '-q']);
    // stderr is part of the comparison only to show it when the status is not 0
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 0,
      stderr: expect.any(String),
    });
  });

  it.each(settings.map(([name]) => [name]))('fails fast and names %s when it is not set', (missing) => {
    const lines = settings.filter(([name]) => name !== missing).map(([name, value]) => `${name}=${value}`);
    const result = withTempEnvFile(lines, (envFile) => dockerCompose(envFile, ['config', '-q']));
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain(missing);
  });

  it('follows the compose specification (no top-level version key)', () => {
    const raw = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as Record<string, unknown>;
    expect(raw).not.toHaveProperty('version');
    expect(raw).toHaveProperty('services');
  });

  describe('resolved configuration', () => {
    let config: ComposeConfig;
    let fromOurDockerfile: [string, ComposeService][];

    beforeAll(() => {
      const result = dockerCompose(envExample, ['config']);
      if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);
      config = parse(result.stdout) as ComposeConfig;
      fromOurDockerfile = Object.entries(config.services).filter(
        ([, service]) =>
          service.build !== undefined &&
          resolve(root, service.build.context ?? '.') === root &&
          (service.build.dockerfile ?? 'Dockerfile') === 'Dockerfile',
      );
    });

    const service = (name: string): ComposeService => {
      if (!Object.hasOwn(config.services, name))
        throw new Error(`docker-compose.yml has no service "${name}"`);
      return config.services[name];
    };

    it('runs the five services from one runtime image (SERVICE picks one) and migrations from the migrate stage', () => {
      const runtime = fromOurDockerfile.filter(([, s]) => s.build?.target === 'runtime');
      expect(runtime.map(([name]) => name).sort()).toEqual([...APP_SERVICES].sort());
      for (const [name, s] of runtime) {
        expect({ name, image: s.image, SERVICE: s.environment?.SERVICE }).toEqual({
          name,
          image: 'ots:local',
          SERVICE: name,
        });
        expect({ name, buildArgs: Object.keys(s.build?.args ?? {}) }).toEqual({
          name,
          buildArgs: ['OTS_VERSION'],
        });
      }
      expect(service('migrate').build?.target).toBe('migrate');
    });

    it('runs the push provider fakes from the build stage on ports 4101 (FCM), 4102 (APNs), 4103 (HMS)', () => {
      const fakes = service('push-fakes');
      expect(fakes.build?.target).toBe('build');
      expect(fakes.command).toEqual(['node', '--import', 'tsx', 'tools/push-fakes/src/main.ts']);
      expect(fakes.environment?.PUSH_FAKES_HOST).toBe('0.0.0.0');
      expect(asList(fakes.healthcheck?.test).length).toBeGreaterThan(0);
      expect(dependencies(service('push'))).toMatchObject({ 'push-fakes': 'service_healthy' });
    });

    it('runs every container of our image without capabilities, without new privileges, on a read-only root', () => {
      // the five services, the migration job and the push provider fakes
      expect(fromOurDockerfile.length).toBe(APP_SERVICES.length + 2);
      for (const [name, s] of fromOurDockerfile) {
        expect({ name, cap_drop: s.cap_drop }).toEqual({ name, cap_drop: ['ALL'] });
        expect({ name, security_opt: s.security_opt }).toEqual({
          name,
          security_opt: expect.arrayContaining(['no-new-privileges:true']),
        });
        expect({ name, read_only: s.read_only }).toEqual({ name, read_only: true });
        expect({ name, tmpTmpfs: asList(s.tmpfs).some((entry) => entry.split(':')[0] === '/tmp') }).toEqual({
          name,
          tmpTmpfs: true,
        });
      }
    });

    it.each(APP_SERVICES.map((name) => [name]))(
      '%s has a healthcheck and starts only after migrations, NATS and its dependencies are healthy',
      (name) => {
        const s = service(name);
        expect(asList(s.healthcheck?.test).length).toBeGreaterThan(0);
        expect(s.healthcheck?.disable).not.toBe(true);
        const deps = dependencies(s);
        expect(deps).toMatchObject({ migrate: 'service_completed_successfully', nats: 'service_healthy' });
        for (const condition of Object.values(deps)) expect(STARTUP_CONDITIONS).toContain(condition);
        // migrations are their own step, never part of a service's start-up
        expect(s.command).toBeUndefined();
        expect(s.entrypoint).toBeUndefined();
      },
    );

    it('runs the migration job once, after PostgreSQL is healthy', () => {
      const migrate = service('migrate');
      expect(dependencies(migrate)).toEqual({ postgres: 'service_healthy' });
      expect(migrate.restart).toBe('no');
      expect(Object.keys(migrate.environment ?? {})).toContain('DATABASE_URL');
    });

    it('gives PostgreSQL, NATS, the proxy, Prometheus and Grafana a healthcheck', () => {
      for (const name of ['postgres', 'nats', 'proxy', 'prometheus', 'grafana']) {
        expect({ name, healthcheck: asList(service(name).healthcheck?.test).length > 0 }).toEqual({
          name,
          healthcheck: true,
        });
      }
      expect(asList(service('nats').command as string[] | undefined)).toEqual(
        expect.arrayContaining(['-js']),
      );
    });

    it('gives contact-sync no database credentials at all', () => {
      const contactSync = service('contact-sync');
      const password = new Map(settings).get('POSTGRES_PASSWORD') ?? '';
      expect(password).not.toBe('');
      const environment = contactSync.environment ?? {};
      expect(Object.keys(environment)).not.toContain('DATABASE_URL');
      for (const [key, value] of Object.entries(environment)) {
        expect({ key, value }).not.toEqual({ key, value: expect.stringMatching(/postgres(ql)?:\/\//) });
        expect({ key, value }).not.toEqual({ key, value: expect.stringContaining(password) });
      }
      expect(contactSync.secrets ?? []).toEqual([]);
    });

    it('hands mailbox the chat server key as a secret file, not as a value', () => {
      const mailbox = service('mailbox');
      const secretNames = (mailbox.secrets ?? []).map((secret) =>
        typeof secret === 'string' ? secret : secret.source,
      );
      expect(secretNames).toContain('csp_server_secret_key');
      expect(mailbox.environment?.CSP_SERVER_SECRET_KEY_FILE).toBe('/run/secrets/csp_server_secret_key');
      expect(config.secrets?.csp_server_secret_key?.file).toEqual(expect.any(String));
    });

    it('routes the public paths through the proxy exactly like PUBLIC_ROUTES', () => {
      const proxy = service('proxy');
      const mount = (proxy.volumes ?? [])
        .map((volume) => volume.split(':'))
        .find(([, target]) => target === '/etc/nginx/nginx.conf');
      expect(mount).toBeDefined();
      const source = mount?.[0] ?? '';
      const nginxConfig = readFileSync(isAbsolute(source) ? source : resolve(root, source), 'utf8');

      const routes = proxyRoutes(nginxConfig);
      expect(routes.map(({ pathPrefix, service: upstream }) => ({ pathPrefix, service: upstream }))).toEqual(
        PUBLIC_ROUTES.map(({ pathPrefix, service: owner }) => ({ pathPrefix, service: owner })),
      );
      for (const route of routes) {
        expect({ route: route.pathPrefix, port: String(route.port) }).toEqual({
          route: route.pathPrefix,
          port: service(route.service).environment?.HTTP_PORT,
        });
      }
      // no other location proxies anywhere, and everything else is not found (health and metrics stay internal)
      expect(nginxConfig.replace(/#[^\n]*/g, '').match(/\bproxy_pass\b/g)).toHaveLength(routes.length);
      expect(nginxConfig).toMatch(/location\s+\/\s*\{\s*return\s+404\b/);
      expect(dependencies(proxy)).toEqual(
        Object.fromEntries(PUBLIC_ROUTES.map((route) => [route.service, 'service_healthy'])),
      );
    });
  });
});
