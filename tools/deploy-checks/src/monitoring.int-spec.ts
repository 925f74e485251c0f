import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { findWorkspaceRoot } from '@ots/db-tools';
import { parse, stringify } from 'yaml';

import { dashboardQueries, DASHBOARDS } from './dashboards';

// Alerts and dashboards, checked with Debian's promtool (package `prometheus`): the rule file loads, its unit tests
// pass with a firing and a non-firing case for every alert, every alert links a runbook in the repository, and
// every dashboard query is valid PromQL over the metric names the services expose.
const root = findWorkspaceRoot(__dirname);
const rulesFile = join(root, 'charts', 'ots', 'files', 'prometheus', 'ots.rules.yaml');
const testsFile = join(root, 'tools', 'deploy-checks', 'prometheus', 'ots.rules.test.yaml');
const runbooks = join(root, 'docs', 'operations', 'runbooks');

/**
 * Metric names the services, CloudNativePG and prometheus-nats-exporter expose (histograms with their series). The
 * services' Node default metrics carry the ots_ prefix (libs/observability: collectDefaultMetrics prefix).
 */
const KNOWN_METRICS = new Set([
  ...histogram('ots_http_server_request_duration_seconds'),
  'ots_process_cpu_seconds_total',
  'ots_process_resident_memory_bytes',
  'ots_process_start_time_seconds',
  'ots_nodejs_eventloop_lag_seconds',
  'ots_mailbox_connections',
  'ots_mailbox_logins_total',
  'ots_mailbox_messages_accepted_total',
  'ots_mailbox_messages_delivered_total',
  'ots_mailbox_messages_acked_total',
  'ots_mailbox_messages_expired_total',
  'ots_mailbox_messages_rejected_total',
  'ots_mailbox_queue_rereads_total',
  'ots_mailbox_identity_replica_entries',
  'ots_mailbox_identity_replica_walks_total',
  'ots_mailbox_queue_depth',
  'ots_mailbox_queue_oldest_age_seconds',
  ...histogram('ots_mailbox_delivery_latency_seconds'),
  ...histogram('ots_mailbox_store_commit_duration_seconds'),
  ...histogram('ots_mailbox_store_batch_size'),
  'ots_mailbox_protocol_errors_total',
  'ots_push_notifications_total',
  ...histogram('ots_push_provider_request_duration_seconds'),
  'ots_push_wakeups_pending',
  'ots_push_circuit_open',
  'ots_push_ownpush_connections',
  'ots_directory_identities_created_total',
  'ots_directory_rate_limited_total',
  'ots_contact_sync_index_entries',
  'ots_contact_sync_matches_total',
  'cnpg_pg_replication_lag',
  'gnatsd_varz_connections',
  'gnatsd_varz_in_msgs',
  'gnatsd_varz_out_msgs',
  'gnatsd_varz_slow_consumers',
]);
function histogram(name: string): string[] {
  return [`${name}_bucket`, `${name}_count`, `${name}_sum`];
}

interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}
interface RuleTest {
  readonly name: string;
  readonly alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[];
}

const rules = (parse(readFileSync(rulesFile, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);
const alerts = rules.filter((rule): rule is Rule & { alert: string } => rule.alert !== undefined);
const recorded = new Set(rules.flatMap((rule) => (rule.record === undefined ? [] : [rule.record])));

function promtool(args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const error: NodeJS.ErrnoException | undefined = result.error;
  if (error?.code === 'ENOENT')
    throw new Error(
      'promtool is not installed: run `apt-get install prometheus` (Debian 12; .ci/run installs it)',
    );
  if (error) throw error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:ots|process|nodejs|cnpg|gnatsd)_[a-z0-9_]+)\b/g)].map((match) => match[1]);
}

describe('alert rules', () => {
  it('pass `promtool check rules`', () => {
    const result = promtool(['check', 'rules', rulesFile]);
    expect({ status: result.status, output: result.output }).toEqual({
      status: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });

  it('pass their unit tests (`promtool test rules`)', () => {
    const result = promtool(['test', 'rules', testsFile]);
    expect({ status: result.status, output: result.output }).toEqual({
      status: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });

  it('have a firing and a non-firing test case each (Watchdog always fires)', () => {
    const tests = (parse(readFileSync(testsFile, 'utf8')) as { tests: RuleTest[] }).tests;
    const cases = tests.flatMap((test) => test.alert_rule_test ?? []);
    expect(alerts.length).toBeGreaterThan(15);
    for (const { alert } of alerts) {
      const own = cases.filter((entry) => entry.alertname === alert);
      const firing = own.some((entry) => entry.exp_alerts.length > 0);
      const quiet = own.some((entry) => entry.exp_alerts.length === 0);
      expect({ alert, firing, quiet }).toEqual({ alert, firing: true, quiet: alert !== 'Watchdog' });
    }
    // every test names an alert that exists
    for (const entry of cases) expect(alerts.map((rule) => rule.alert)).toContain(entry.alertname);
  });

  it('link a runbook in the repository, with meaning, impact, diagnosis and mitigation', () => {
    for (const { alert, annotations, labels } of alerts) {
      expect({ alert, summary: annotations?.summary }).toEqual({ alert, summary: expect.any(String) });
      expect({ alert, severity: labels?.severity }).toEqual({
        alert,
        severity: expect.stringMatching(/^(critical|warning|none)$/),
      });
      const link = annotations?.runbook_url ?? '';
      expect({ alert, link }).toEqual({ alert, link: `docs/operations/runbooks/${alert}.md` });
      const file = join(root, link);
      expect({ alert, exists: existsSync(file) }).toEqual({ alert, exists: true });
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      for (const heading of ['Meaning', 'Impact', 'Diagnosis', 'Mitigation'])
        expect({ alert, heading, present: new RegExp(`^## ${heading}`, 'm').test(text) }).toEqual({
          alert,
          heading,
          present: true,
        });
    }
    // and no runbook is left without its alert
    const files = readdirSync(runbooks).filter((file) => file.endsWith('.md') && file !== 'README.md');
    expect(files.sort()).toEqual(alerts.map(({ alert }) => `${alert}.md`).sort());
  });

  it('use only metric names the services and exporters expose', () => {
    for (const rule of rules)
      for (const name of metricNames(rule.expr))
        expect({ rule: rule.alert ?? rule.record, name, known: KNOWN_METRICS.has(name) }).toEqual({
          rule: rule.alert ?? rule.record,
          name,
          known: true,
        });
  });
});

describe('dashboards', () => {
  it('hold valid PromQL only (each query loaded into promtool as a recording rule)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ots-dashboards-'));
    try {
      const file = join(dir, 'queries.rules.yaml');
      const groups = DASHBOARDS.map((dashboard) => ({
        name: dashboard.uid,
        rules: dashboardQueries(dashboard).map((expr, index) => ({
          record: `dashboard:${dashboard.uid.replaceAll('-', '_')}_query_${String(index)}`,
          expr: expr.replaceAll('$__rate_interval', '5m').replaceAll('$site', '.*'),
        })),
      }));
      writeFileSync(file, stringify({ groups }));
      const result = promtool(['check', 'rules', file]);
      expect({ status: result.status, output: result.output }).toEqual({
        status: 0,
        output: expect.stringContaining('SUCCESS'),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('query only known metrics and recorded series', () => {
    for (const dashboard of DASHBOARDS)
      for (const expr of dashboardQueries(dashboard)) {
        for (const name of metricNames(expr))
          expect({ dashboard: dashboard.uid, name, known: KNOWN_METRICS.has(name) }).toEqual({
            dashboard: dashboard.uid,
            name,
            known: true,
          });
        for (const match of expr.matchAll(/\b(ots:[a-z0-9_:]+)/g))
          expect({ dashboard: dashboard.uid, series: match[1], recorded: recorded.has(match[1]) }).toEqual({
            dashboard: dashboard.uid,
            series: match[1],
            recorded: true,
          });
      }
  });

  it('cover every service with a RED dashboard and filter by site', () => {
    for (const service of ['directory', 'mailbox', 'push', 'contact-sync', 'data-export']) {
      const dashboard = DASHBOARDS.find((candidate) => candidate.uid === `ots-${service}`);
      const queries = dashboard ? dashboardQueries(dashboard) : [];
      expect({
        service,
        rate: queries.some((q) => q.includes('_count{') && !q.includes('status_code')),
      }).toEqual({
        service,
        rate: true,
      });
      expect({ service, errors: queries.some((q) => q.includes('status_code=~"5..')) }).toEqual({
        service,
        errors: true,
      });
      expect({ service, duration: queries.some((q) => q.startsWith('histogram_quantile')) }).toEqual({
        service,
        duration: true,
      });
    }
    for (const dashboard of DASHBOARDS)
      for (const expr of dashboardQueries(dashboard))
        if (expr.includes('ots_') && !expr.includes('up{'))
          expect({ expr, site: expr.includes('site=~"$site"') }).toEqual({ expr, site: true });
  });
});
