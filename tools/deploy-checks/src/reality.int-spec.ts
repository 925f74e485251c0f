import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connectCsp, type CspSession, cspTestHooks } from '@ots/client';
import { generateX25519KeyPair, randomBytes, type X25519KeyPair } from '@ots/crypto';
import { findWorkspaceRoot, runMigrations } from '@ots/db-tools';
import { encodeMessageWithMetadataBox } from '@ots/protocol';
import {
  freePort,
  httpGet,
  spawnBuiltService,
  startNats,
  startPostgres,
  type TestNats,
  type TestPostgres,
  waitFor,
  waitForBuiltServiceReady,
} from '@ots/testing';
import { Client } from 'pg';
import { parse, stringify } from 'yaml';

import { dashboardQueries, DASHBOARDS, type ServiceName, SERVICES } from './dashboards';

// Dashboards and alerts checked against reality: the five compiled services run against real PostgreSQL and NATS
// with their full configuration (push against the provider fakes), get a little HTTP traffic and real chat traffic
// through the client SDK (logins, messages delivered and acked, one queued for an offline receiver with a push
// token, one to an unknown identity (rejected), one failed login, one unknown payload type), a real Prometheus (Debian package) scrapes them as job ots-<service> with the chart's
// rule file loaded, and every dashboard query and every alert input is evaluated. Each returns data, or is listed
// below with the reason it cannot yet; a listed metric that the services do expose fails the test, so the list
// shrinks as the services add their metrics.
const root = findWorkspaceRoot(__dirname);
const rulesFile = join(root, 'charts', 'ots', 'files', 'prometheus', 'ots.rules.yaml');

const NOT_YET: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  {
    pattern: /^cnpg_/,
    reason: 'needs the CloudNativePG exporter and a standby (tests run one embedded PostgreSQL)',
  },
  {
    pattern: /^gnatsd_/,
    reason:
      'needs prometheus-nats-exporter (neither Debian nor npm ships it; compose and the NATS chart run it)',
  },
];
/** Queries that select only events this traffic cannot produce. */
const NO_EVENTS: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  { pattern: /status_code=~"5\.\."/, reason: 'no request fails with a server error during the test' },
  { pattern: /outcome="failed"/, reason: 'no push provider fails during the test' },
];

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const randomIdentity = (prefix: string): string =>
  `${prefix}${Array.from(randomBytes(7), (byte) => ALPHABET[byte % 36]).join('')}`;

/** An outgoing message-with-metadata-box with an opaque box: the server never looks inside. */
let nextMessageId = BigInt(Date.now()) << 16n;
function message(sender: string, receiver: string): Uint8Array {
  nextMessageId += 1n;
  return encodeMessageWithMetadataBox({
    senderIdentity: sender,
    receiverIdentity: receiver,
    messageId: nextMessageId,
    createdAt: Math.floor(Date.now() / 1000),
    flags: 0x01,
    legacySenderNickname: new Uint8Array(32),
    metadataContainer: randomBytes(40),
    nonce: randomBytes(24),
    messageBox: randomBytes(100),
  });
}

interface PromResponse {
  status: string;
  error?: string;
  data?: { result: unknown[] };
}

function metricNames(expr: string): string[] {
  return [
    ...new Set(
      [...expr.matchAll(/\b((?:ots|process|nodejs|cnpg|gnatsd)_[a-z0-9_]+|ots:[a-z0-9_:]+)/g)].map(
        (m) => m[1],
      ),
    ),
  ];
}

describe('dashboards and alerts against running services and a real Prometheus', () => {
  let postgres: TestPostgres | undefined;
  let nats: TestNats | undefined;
  const children: ChildProcess[] = [];
  const ports = new Map<ServiceName, number>();
  let prometheusUrl = '';
  let workDir = '';
  let cspPort = 0;
  let serverKeys: X25519KeyPair;
  const sessions: CspSession[] = [];

  const query = async (expr: string): Promise<PromResponse> =>
    (await httpGet(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`, 10_000))
      .json as PromResponse;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ots-reality-'));
    const [startedPostgres, startedNats] = await Promise.all([startPostgres(), startNats()]);
    postgres = startedPostgres;
    nats = startedNats;
    await runMigrations({ databaseUrl: startedPostgres.url });
    serverKeys = generateX25519KeyPair();
    const keyFile = join(workDir, 'csp-server.key');
    writeFileSync(keyFile, `${Buffer.from(serverKeys.secretKey).toString('hex')}\n`, { mode: 0o600 });

    // the push provider fakes, started as docker-compose starts them; they write push's PUSH_* settings
    const fakesDir = join(workDir, 'push-fakes');
    const fakes = spawn(
      process.execPath,
      ['--import', 'tsx', join('tools', 'push-fakes', 'src', 'main.ts')],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          PUSH_FAKES_HOST: '127.0.0.1',
          PUSH_FAKES_FCM_PORT: String(await freePort()),
          PUSH_FAKES_APNS_PORT: String(await freePort()),
          PUSH_FAKES_HMS_PORT: String(await freePort()),
          PUSH_FAKES_CREDENTIALS_DIR: fakesDir,
        },
        stdio: 'ignore',
      },
    );
    children.push(fakes);
    await waitFor(async () => Promise.resolve(existsSync(join(fakesDir, 'push.env'))), {
      timeoutMs: 30_000,
      description: 'push fakes started',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const pushProviderEnv = Object.fromEntries(
      readFileSync(join(fakesDir, 'push.env'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );

    const grpcPorts = { directory: await freePort(), mailbox: await freePort(), push: await freePort() };
    cspPort = await freePort();
    for (const service of SERVICES) ports.set(service, await freePort());
    const grpcServer = (port: number) => ({ GRPC_HOST: '127.0.0.1', GRPC_PORT: String(port) });
    // every variable docs/configuration.md marks required, and the listeners on free ports
    // the *MY3DATA system identity: registered by the directory from config, logged in by data-export's bot
    const my3data = generateX25519KeyPair();
    const my3dataKeyFile = join(workDir, 'my3data.key');
    writeFileSync(my3dataKeyFile, `${Buffer.from(my3data.secretKey).toString('hex')}\n`, { mode: 0o600 });
    const serviceEnv: Record<ServiceName, Record<string, string>> = {
      directory: {
        DATABASE_URL: startedPostgres.url,
        ...grpcServer(grpcPorts.directory),
        DIRECTORY_SYSTEM_IDENTITIES: `*MY3DATA:${Buffer.from(my3data.publicKey).toString('base64')}`,
      },
      mailbox: {
        DATABASE_URL: startedPostgres.url,
        DIRECTORY_GRPC_URL: `127.0.0.1:${String(grpcPorts.directory)}`,
        PUSH_GRPC_URL: `127.0.0.1:${String(grpcPorts.push)}`,
        ...grpcServer(grpcPorts.mailbox),
        CSP_SERVER_SECRET_KEY_FILE: keyFile,
        CSP_HOST: '127.0.0.1',
        CSP_PORT: String(cspPort),
      },
      push: { DATABASE_URL: startedPostgres.url, ...grpcServer(grpcPorts.push), ...pushProviderEnv },
      'contact-sync': { DIRECTORY_GRPC_URL: `127.0.0.1:${String(grpcPorts.directory)}` },
      'data-export': {
        DIRECTORY_GRPC_URL: `127.0.0.1:${String(grpcPorts.directory)}`,
        PUSH_GRPC_URL: `127.0.0.1:${String(grpcPorts.push)}`,
        MAILBOX_GRPC_URL: `127.0.0.1:${String(grpcPorts.mailbox)}`,
        MAILBOX_CSP_HOST: '127.0.0.1',
        MAILBOX_CSP_PORT: String(cspPort),
        MAILBOX_CSP_PUBLIC_KEY: Buffer.from(serverKeys.publicKey).toString('base64'),
        MY3DATA_SECRET_KEY_FILE: my3dataKeyFile,
      },
    };
    const started = SERVICES.map((service) => {
      const handle = spawnBuiltService(root, service, {
        OTS_SITE: 'site-test',
        LOG_LEVEL: 'warn',
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(ports.get(service)),
        NATS_URL: startedNats.url,
        ...serviceEnv[service],
      });
      children.push(handle.child);
      return { service, handle };
    });
    for (const { service, handle } of started)
      await waitForBuiltServiceReady(handle, service, ports.get(service) ?? 0, 30_000);

    const promPort = await freePort();
    prometheusUrl = `http://127.0.0.1:${String(promPort)}`;
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [rulesFile],
      scrape_configs: SERVICES.map((service) => ({
        job_name: `ots-${service}`,
        static_configs: [{ targets: [`127.0.0.1:${String(ports.get(service))}`] }],
      })),
    };
    writeFileSync(join(workDir, 'prometheus.yml'), stringify(config));
    const prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(workDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(workDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${String(promPort)}`,
        '--log.level=warn',
      ],
      { stdio: 'ignore' },
    );
    prometheus.on('error', (error) => {
      throw new Error(`prometheus could not start (apt-get install prometheus): ${error.message}`);
    });
    children.push(prometheus);
    await waitFor(async () => (await httpGet(`${prometheusUrl}/-/ready`)).status === 200, {
      timeoutMs: 30_000,
      description: 'prometheus ready',
    });

    const deliverMore = await chatTraffic(startedPostgres.url);
    // carol's wake-up went through NATS to push and on to the FCM fake
    await waitFor(
      async () =>
        (await httpGet(`http://127.0.0.1:${String(ports.get('push'))}/metrics`)).body.includes(
          'ots_push_notifications_total{',
        ),
      { timeoutMs: 30_000, description: 'push sent the wake-up to the FCM fake' },
    );

    // a little traffic on every service: public paths that answer 4xx, and unmatched paths
    for (let round = 0; round < 5; round += 1) {
      for (const service of SERVICES) {
        const base = `http://127.0.0.1:${String(ports.get(service))}`;
        await httpGet(`${base}/no-such-path`);
        if (service === 'directory') await httpGet(`${base}/identity/ECHOECHO`);
      }
      await deliverMore();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    // every target scraped a few times after the traffic
    await waitFor(
      async () => {
        const up = await query('count(up{job=~"ots-.+"} == 1)');
        return (
          up.data?.result.length === 1 && (up.data.result[0] as { value: [number, string] }).value[1] === '5'
        );
      },
      { timeoutMs: 20_000, description: 'all five targets up' },
    );
    // the SLO recording rules are evaluated every 30 s: wait for their first evaluation
    await waitFor(
      async () => ((await query('ots:mailbox_delivery_slow:ratio_rate5m')).data?.result.length ?? 0) > 0,
      { timeoutMs: 45_000, intervalMs: 1_000, description: 'SLO recording rules evaluated' },
    );
    await new Promise((resolve) => setTimeout(resolve, 4_000));
  }, 240_000);

  /**
   * Real chat traffic through the client SDK: identities seeded into the directory's table, two of them online
   * exchanging acked messages, one offline with an FCM push token (its message stays queued and wakes it through
   * push and the FCM fake), a message to an unknown identity (rejected), a login with the wrong key (failed) and a
   * payload type the server does not know (a protocol error).
   */
  async function chatTraffic(databaseUrl: string): Promise<() => Promise<void>> {
    const users = ['RA', 'RB', 'RC'].map((prefix) => ({
      identity: randomIdentity(prefix).slice(0, 8),
      keys: generateX25519KeyPair(),
    }));
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(
      `INSERT INTO directory.identity (id, public_key, server_group) SELECT id, key, '00' FROM unnest($1::text[], $2::bytea[]) AS t(id, key)`,
      [users.map((user) => user.identity), users.map((user) => Buffer.from(user.keys.publicKey))],
    );
    await client.end();
    const login = (user: { identity: string; keys: X25519KeyPair }, secretKey = user.keys.secretKey) =>
      connectCsp({
        host: '127.0.0.1',
        port: cspPort,
        serverPublicKey: serverKeys.publicKey,
        identity: user.identity,
        secretKey,
      });
    const [alice, bob, carol] = users;

    // carol registers an FCM token on her device, then goes offline
    const carolSession = await login(carol);
    sessions.push(carolSession);
    carolSession.setPushToken(0x11, Buffer.from('fcm-reality-token'));
    await carolSession.echo();
    await carolSession.close();

    const aliceSession = await login(alice);
    const bobSession = await login(bob);
    sessions.push(aliceSession, bobSession);
    let received = 0;
    bobSession.onMessage((incoming) => {
      received += 1;
      incoming.ack();
    });
    for (let n = 0; n < 10; n += 1) await aliceSession.sendMessage(message(alice.identity, bob.identity));
    await waitFor(async () => Promise.resolve(received === 10), {
      timeoutMs: 10_000,
      description: 'bob received 10 messages',
    });
    await aliceSession.sendMessage(message(alice.identity, carol.identity));
    // dropped and counted as rejected (unknown_receiver), acknowledged like a delivered message (spec)
    await aliceSession.sendMessage(message(alice.identity, 'ZZZZZZZZ'));
    cspTestHooks(bobSession).sendContainer(0xee, new Uint8Array(4));
    await bobSession.echo();
    await expect(login(alice, generateX25519KeyPair().secretKey)).rejects.toThrow();
    // more messages later, so that rates over the scraped counters and histograms are not empty
    return async () => {
      const target = received + 2;
      for (let n = 0; n < 2; n += 1) await aliceSession.sendMessage(message(alice.identity, bob.identity));
      await waitFor(async () => Promise.resolve(received >= target), {
        timeoutMs: 10_000,
        description: 'bob received the messages',
      });
    };
  }

  afterAll(async () => {
    for (const session of sessions) await session.close().catch(() => undefined);
    for (const child of children) child.kill('SIGKILL');
    await Promise.all([nats?.stop(), postgres?.stop()]);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function exposedMetricNames(): Promise<Set<string>> {
    const names = await query('count by (__name__) ({job=~"ots-.+"})');
    return new Set(
      (names.data?.result ?? []).map((entry) => (entry as { metric: { __name__: string } }).metric.__name__),
    );
  }

  function expectation(expr: string): { expectData: boolean; reason?: string } {
    for (const name of metricNames(expr)) {
      const notYet = NOT_YET.find((entry) => entry.pattern.test(name));
      if (notYet) return { expectData: false, reason: `${name}: ${notYet.reason}` };
    }
    const noEvents = NO_EVENTS.find((entry) => entry.pattern.test(expr));
    if (noEvents) return { expectData: false, reason: noEvents.reason };
    return { expectData: true };
  }

  it('lists as "not yet" only metrics the services really do not expose', async () => {
    const exposed = await exposedMetricNames();
    expect(exposed.has('ots_http_server_request_duration_seconds_count')).toBe(true);
    for (const name of exposed)
      expect({ name, listedAsNotYet: NOT_YET.some((entry) => entry.pattern.test(name)) }).toEqual({
        name,
        listedAsNotYet: false,
      });
  });

  it.each(DASHBOARDS.map((dashboard) => [dashboard.uid]))(
    'every query of %s runs and returns data, or is listed',
    async (uid) => {
      const dashboard = DASHBOARDS.find((candidate) => candidate.uid === uid);
      const queries = dashboard ? dashboardQueries(dashboard) : [];
      expect(queries.length).toBeGreaterThan(0);
      let withData = 0;
      for (const expr of queries) {
        const promql = expr.replaceAll('$__rate_interval', '1m').replaceAll('$site', '.*');
        const response = await query(promql);
        expect({ expr, status: response.status, error: response.error }).toEqual({
          expr,
          status: 'success',
          error: undefined,
        });
        const { expectData, reason } = expectation(expr);
        const hasData = (response.data?.result.length ?? 0) > 0;
        if (expectData) expect({ expr, hasData }).toEqual({ expr, hasData: true });
        else expect({ expr, reason }).toEqual({ expr, reason: expect.any(String) });
        if (hasData) withData += 1;
      }
      // the RED dashboards have live data today; the overview's HTTP panels too
      expect(withData).toBeGreaterThan(0);
    },
  );

  it('every alert evaluates, and each of its input metrics has data or is listed', async () => {
    const rules = (
      parse(readFileSync(rulesFile, 'utf8')) as {
        groups: { rules: { alert?: string; record?: string; expr: string }[] }[];
      }
    ).groups.flatMap((group) => group.rules);
    const alerts = await query('ALERTS');
    expect(alerts.status).toBe('success');
    for (const rule of rules) {
      const evaluated = await query(rule.expr);
      expect({ rule: rule.alert ?? rule.record, status: evaluated.status }).toEqual({
        rule: rule.alert ?? rule.record,
        status: 'success',
      });
      for (const name of metricNames(rule.expr)) {
        const { expectData, reason } = expectation(name);
        const series = await query(`count({__name__="${name}"})`);
        const hasData = (series.data?.result.length ?? 0) > 0;
        if (expectData)
          expect({ rule: rule.alert ?? rule.record, name, hasData }).toEqual({
            rule: rule.alert ?? rule.record,
            name,
            hasData: true,
          });
        else expect({ name, reason }).toEqual({ name, reason: expect.any(String) });
      }
    }
    // with healthy services, the only firing alerts are the heartbeat and the ones about absent exporters
    const firing = ((await query('ALERTS{alertstate="firing"}')).data?.result ?? []).map(
      (entry) => (entry as { metric: { alertname: string } }).metric.alertname,
    );
    expect(firing.filter((name) => !['Watchdog', 'OtsNatsMetricsMissing'].includes(name))).toEqual([]);
  });
});
