/**
 * The Grafana dashboards, as code: an on-call overview and one rate/errors/duration (RED) dashboard per service.
 * `nx run deploy-checks:generate` writes them to charts/ots/files/dashboards/ (shipped as ConfigMaps by the
 * umbrella chart and provisioned into docker-compose's Grafana); the tests check the files are up to date and
 * every query parses.
 */

export interface Target {
  readonly expr: string;
  readonly legendFormat: string;
}

export interface Panel {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly Target[];
  readonly kind?: 'timeseries' | 'stat';
  /** stacked series (counts that add up) */
  readonly stack?: boolean;
}

export interface Row {
  readonly title: string;
  readonly panels: readonly Panel[];
}

export interface DashboardSpec {
  readonly file: string;
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly rows: readonly Row[];
}

export const SERVICES = ['directory', 'mailbox', 'push', 'contact-sync', 'data-export'] as const;
export type ServiceName = (typeof SERVICES)[number];

const SITE = 'site=~"$site"';
const t = (expr: string, legendFormat: string): Target => ({ expr, legendFormat });

function redRow(service: string): Row {
  const sel = `service="${service}",${SITE}`;
  const notProbes = 'route!~"/healthz|/readyz|/metrics"';
  return {
    title: `${service}: HTTP rate, errors, duration`,
    panels: [
      {
        title: 'Requests per second by route',
        description: 'HTTP requests answered, health and metrics probes excluded.',
        unit: 'reqps',
        stack: true,
        targets: [
          t(
            `sum by (site, route) (rate(ots_http_server_request_duration_seconds_count{${sel},${notProbes}}[$__rate_interval]))`,
            '{{site}} {{route}}',
          ),
        ],
      },
      {
        title: 'Error ratio (5xx, and 4xx separately)',
        description: 'Share of requests answered with a server error (5xx) or a client error (4xx).',
        unit: 'percentunit',
        targets: [
          t(
            `sum by (site) (rate(ots_http_server_request_duration_seconds_count{${sel},status_code=~"5.."}[$__rate_interval])) / sum by (site) (rate(ots_http_server_request_duration_seconds_count{${sel}}[$__rate_interval]))`,
            '{{site}} 5xx',
          ),
          t(
            `sum by (site) (rate(ots_http_server_request_duration_seconds_count{${sel},status_code=~"4.."}[$__rate_interval])) / sum by (site) (rate(ots_http_server_request_duration_seconds_count{${sel}}[$__rate_interval]))`,
            '{{site}} 4xx',
          ),
        ],
      },
      {
        title: 'Duration p50 / p99',
        description: 'HTTP request duration quantiles, probes excluded.',
        unit: 's',
        targets: [
          t(
            `histogram_quantile(0.5, sum by (site, le) (rate(ots_http_server_request_duration_seconds_bucket{${sel},${notProbes}}[$__rate_interval])))`,
            '{{site}} p50',
          ),
          t(
            `histogram_quantile(0.99, sum by (site, le) (rate(ots_http_server_request_duration_seconds_bucket{${sel},${notProbes}}[$__rate_interval])))`,
            '{{site}} p99',
          ),
        ],
      },
    ],
  };
}

function processRow(service: string): Row {
  const sel = `job="ots-${service}",${SITE}`;
  return {
    title: `${service}: processes`,
    panels: [
      {
        title: 'Instances up',
        description: 'Scrape targets that answered (job ots-' + service + ').',
        unit: 'short',
        kind: 'stat',
        targets: [t(`sum(up{job="ots-${service}"})`, 'up')],
      },
      {
        title: 'CPU',
        description: 'CPU seconds per second per instance.',
        unit: 'percentunit',
        targets: [
          t(`rate(ots_process_cpu_seconds_total{${sel}}[$__rate_interval])`, '{{site}} {{instance}}'),
        ],
      },
      {
        title: 'Resident memory',
        description: 'Resident set size per instance.',
        unit: 'bytes',
        targets: [t(`ots_process_resident_memory_bytes{${sel}}`, '{{site}} {{instance}}')],
      },
      {
        title: 'Event loop lag',
        description: 'Node.js event loop lag; above 0.5 s for 10 min raises OtsEventLoopLagHigh.',
        unit: 's',
        targets: [t(`ots_nodejs_eventloop_lag_seconds{${sel}}`, '{{site}} {{instance}}')],
      },
    ],
  };
}

const mailboxRows: readonly Row[] = [
  {
    title: 'Messages',
    panels: [
      {
        title: 'Messages accepted / delivered / acked per second',
        description:
          'accepted: stored and acked to the sender; delivered: sent to the receiver; acked: receiver ack (then deleted).',
        unit: 'short',
        targets: [
          t(
            `sum by (site) (rate(ots_mailbox_messages_accepted_total{${SITE}}[$__rate_interval]))`,
            '{{site}} accepted',
          ),
          t(
            `sum by (site) (rate(ots_mailbox_messages_delivered_total{${SITE}}[$__rate_interval]))`,
            '{{site}} delivered',
          ),
          t(
            `sum by (site) (rate(ots_mailbox_messages_acked_total{${SITE}}[$__rate_interval]))`,
            '{{site}} acked',
          ),
        ],
      },
      {
        title: 'Messages rejected / expired / re-read per second',
        description:
          'Rejected at submission by reason; expired after the retention period without delivery; live messages left to another pass over the queue by reason (live_overflow: a connection too far behind; during_backlog; blocked: multi-device before 0x03).',
        unit: 'short',
        stack: true,
        targets: [
          t(
            `sum by (site, reason) (rate(ots_mailbox_messages_rejected_total{${SITE}}[$__rate_interval]))`,
            '{{site}} rejected {{reason}}',
          ),
          t(
            `sum by (site) (rate(ots_mailbox_messages_expired_total{${SITE}}[$__rate_interval]))`,
            '{{site}} expired',
          ),
          t(
            `sum by (site, reason) (rate(ots_mailbox_queue_rereads_total{${SITE}}[$__rate_interval]))`,
            '{{site}} re-read {{reason}}',
          ),
        ],
      },
      {
        title: 'Delivery latency p50 / p99 (accept to delivered)',
        description: 'Includes time a message waits for an offline receiver.',
        unit: 's',
        targets: [
          t(
            `histogram_quantile(0.5, sum by (site, le) (rate(ots_mailbox_delivery_latency_seconds_bucket{${SITE}}[$__rate_interval])))`,
            '{{site}} p50',
          ),
          t(
            `histogram_quantile(0.99, sum by (site, le) (rate(ots_mailbox_delivery_latency_seconds_bucket{${SITE}}[$__rate_interval])))`,
            '{{site}} p99',
          ),
        ],
      },
    ],
  },
  {
    title: 'Queue and store',
    panels: [
      {
        title: 'Queue depth',
        description: 'Messages stored and not yet acknowledged by their receiver.',
        unit: 'short',
        targets: [t(`sum by (site) (ots_mailbox_queue_depth{${SITE}})`, '{{site}}')],
      },
      {
        title: 'Oldest queued message age',
        description: 'Age of the oldest undelivered message (messages expire after the retention period).',
        unit: 's',
        targets: [t(`max by (site) (ots_mailbox_queue_oldest_age_seconds{${SITE}})`, '{{site}}')],
      },
      {
        title: 'Store commit p99 and batch size p50',
        description: 'Group commits of the message store; every CSP ack waits for its commit.',
        unit: 's',
        targets: [
          t(
            `histogram_quantile(0.99, sum by (site, le) (rate(ots_mailbox_store_commit_duration_seconds_bucket{${SITE}}[$__rate_interval])))`,
            '{{site}} commit p99',
          ),
        ],
      },
      {
        title: 'Store batch size p50 / p99',
        description: 'Messages per group commit.',
        unit: 'short',
        targets: [
          t(
            `histogram_quantile(0.5, sum by (site, le) (rate(ots_mailbox_store_batch_size_bucket{${SITE}}[$__rate_interval])))`,
            '{{site}} p50',
          ),
          t(
            `histogram_quantile(0.99, sum by (site, le) (rate(ots_mailbox_store_batch_size_bucket{${SITE}}[$__rate_interval])))`,
            '{{site}} p99',
          ),
        ],
      },
    ],
  },
  {
    title: 'Connections and logins',
    panels: [
      {
        title: 'Connected clients',
        description: 'Open CSP connections.',
        unit: 'short',
        targets: [t(`sum by (site) (ots_mailbox_connections{${SITE}})`, '{{site}}')],
      },
      {
        title: 'Logins by outcome',
        description: 'CSP handshakes: ok, bad_vouch, unknown_identity, revoked, malformed, timeout.',
        unit: 'short',
        stack: true,
        targets: [
          t(
            `sum by (site, outcome) (rate(ots_mailbox_logins_total{${SITE}}[$__rate_interval]))`,
            '{{site}} {{outcome}}',
          ),
        ],
      },
      {
        title: 'Protocol errors by reason',
        description: 'Malformed frames and payloads (the connection is closed).',
        unit: 'short',
        stack: true,
        targets: [
          t(
            `sum by (site, reason) (rate(ots_mailbox_protocol_errors_total{${SITE}}[$__rate_interval]))`,
            '{{site}} {{reason}}',
          ),
        ],
      },
      {
        title: 'Identity replica: entries and failed walks',
        description:
          'Identities each instance holds in memory (docs/adr/0030; 0 until its first walk of the directory is done), and walks of the directory that failed (retried with back-off; look-ups ask the directory meanwhile).',
        unit: 'short',
        targets: [
          t(
            `sum by (site, instance) (ots_mailbox_identity_replica_entries{${SITE}})`,
            '{{site}} {{instance}}',
          ),
          t(
            `sum by (site) (rate(ots_mailbox_identity_replica_walks_total{${SITE}, outcome="failed"}[$__rate_interval]))`,
            '{{site}} failed walks',
          ),
        ],
      },
    ],
  },
];

const pushRows: readonly Row[] = [
  {
    title: 'Push notifications',
    panels: [
      {
        title: 'Notifications by provider and outcome',
        description: 'outcome: sent, failed, dropped_expired, token_deleted.',
        unit: 'short',
        stack: true,
        targets: [
          t(
            `sum by (site, provider, outcome) (rate(ots_push_notifications_total{${SITE}}[$__rate_interval]))`,
            '{{site}} {{provider}} {{outcome}}',
          ),
        ],
      },
      {
        title: 'Failures by provider and reason',
        description: 'Failed sends by the provider error reason.',
        unit: 'short',
        stack: true,
        targets: [
          t(
            `sum by (site, provider, reason) (rate(ots_push_notifications_total{${SITE},outcome="failed"}[$__rate_interval]))`,
            '{{site}} {{provider}} {{reason}}',
          ),
        ],
      },
      {
        title: 'Provider request duration p99',
        description: 'Round trip of a request to FCM, APNs or HMS.',
        unit: 's',
        targets: [
          t(
            `histogram_quantile(0.99, sum by (site, provider, le) (rate(ots_push_provider_request_duration_seconds_bucket{${SITE}}[$__rate_interval])))`,
            '{{site}} {{provider}}',
          ),
        ],
      },
    ],
  },
  {
    title: 'Wake-ups and own push',
    panels: [
      {
        title: 'Wake-ups pending',
        description: 'Wake-ups waiting in the JetStream work queue.',
        unit: 'short',
        targets: [t(`sum by (site) (ots_push_wakeups_pending{${SITE}})`, '{{site}}')],
      },
      {
        title: 'Circuit breakers open',
        description: '1 while a provider circuit breaker is open (no sends to it).',
        unit: 'short',
        targets: [t(`max by (site, provider) (ots_push_circuit_open{${SITE}})`, '{{site}} {{provider}}')],
      },
      {
        title: 'Own-push connections',
        description: 'Devices connected to the own push channel.',
        unit: 'short',
        targets: [t(`sum by (site) (ots_push_ownpush_connections{${SITE}})`, '{{site}}')],
      },
    ],
  },
];

const directoryRows: readonly Row[] = [
  {
    title: 'Identities',
    panels: [
      {
        title: 'Identities created per second',
        description: 'Successful identity/create.',
        unit: 'short',
        targets: [
          t(
            `sum by (site) (rate(ots_directory_identities_created_total{${SITE}}[$__rate_interval]))`,
            '{{site}}',
          ),
        ],
      },
      {
        title: 'Requests refused by abuse limits',
        description: 'Requests answered 429, by limit.',
        unit: 'short',
        stack: true,
        targets: [
          t(
            `sum by (site, limit) (rate(ots_directory_rate_limited_total{${SITE}}[$__rate_interval]))`,
            '{{site}} {{limit}}',
          ),
        ],
      },
    ],
  },
];

const contactSyncRows: readonly Row[] = [
  {
    title: 'Contact matching',
    panels: [
      {
        title: 'Index entries',
        description: 'Linked hashes held in memory per instance.',
        unit: 'short',
        targets: [t(`ots_contact_sync_index_entries{${SITE}}`, '{{site}} {{instance}}')],
      },
      {
        title: 'Matches per second',
        description: 'Contacts matched.',
        unit: 'short',
        targets: [
          t(`sum by (site) (rate(ots_contact_sync_matches_total{${SITE}}[$__rate_interval]))`, '{{site}}'),
        ],
      },
    ],
  },
];

const overview: DashboardSpec = {
  file: 'ots-overview.json',
  uid: 'ots-overview',
  title: 'OTS / On-call overview',
  description:
    'Message delivery, errors, latency, queue, connections, logins, push, replication and NATS, per site.',
  rows: [
    {
      title: 'Message delivery (SLO: 99 % delivered within 5 s of acceptance)',
      panels: [
        {
          title: 'Messages accepted / delivered per second',
          description: 'Chat server throughput.',
          unit: 'short',
          targets: [
            t(
              `sum by (site) (rate(ots_mailbox_messages_accepted_total{${SITE}}[$__rate_interval]))`,
              '{{site}} accepted',
            ),
            t(
              `sum by (site) (rate(ots_mailbox_messages_delivered_total{${SITE}}[$__rate_interval]))`,
              '{{site}} delivered',
            ),
          ],
        },
        {
          title: 'Deliveries slower than 5 s (SLO error ratio)',
          description: 'Burn-rate alerts fire at 14.4x / 6x (page) and 3x / 1x (ticket) of the 1 % budget.',
          unit: 'percentunit',
          targets: [
            t(`ots:mailbox_delivery_slow:ratio_rate5m{${SITE}}`, '{{site}} 5m'),
            t(`ots:mailbox_delivery_slow:ratio_rate1h{${SITE}}`, '{{site}} 1h'),
          ],
        },
        {
          title: 'Delivery latency p99',
          description: 'Accept to delivered.',
          unit: 's',
          targets: [
            t(
              `histogram_quantile(0.99, sum by (site, le) (rate(ots_mailbox_delivery_latency_seconds_bucket{${SITE}}[$__rate_interval])))`,
              '{{site}}',
            ),
          ],
        },
      ],
    },
    {
      title: 'Errors and latency (all services)',
      panels: [
        {
          title: 'HTTP 5xx ratio by service',
          description: 'Server errors of every service.',
          unit: 'percentunit',
          targets: [
            t(
              `sum by (site, service) (rate(ots_http_server_request_duration_seconds_count{${SITE},status_code=~"5.."}[$__rate_interval])) / sum by (site, service) (rate(ots_http_server_request_duration_seconds_count{${SITE}}[$__rate_interval]))`,
              '{{site}} {{service}}',
            ),
          ],
        },
        {
          title: 'HTTP p99 by service',
          description: 'Probes excluded.',
          unit: 's',
          targets: [
            t(
              `histogram_quantile(0.99, sum by (site, service, le) (rate(ots_http_server_request_duration_seconds_bucket{${SITE},route!~"/healthz|/readyz|/metrics"}[$__rate_interval])))`,
              '{{site}} {{service}}',
            ),
          ],
        },
        {
          title: 'Targets up',
          description: 'Scraped service instances per job.',
          unit: 'short',
          targets: [t('sum by (job) (up{job=~"ots-.+"})', '{{job}}')],
        },
      ],
    },
    {
      title: 'Queue, connections, logins',
      panels: [
        {
          title: 'Queue depth',
          description: 'Stored, unacknowledged messages.',
          unit: 'short',
          targets: [t(`sum by (site) (ots_mailbox_queue_depth{${SITE}})`, '{{site}}')],
        },
        {
          title: 'Oldest queued message age',
          description: 'Age of the oldest undelivered message.',
          unit: 's',
          targets: [t(`max by (site) (ots_mailbox_queue_oldest_age_seconds{${SITE}})`, '{{site}}')],
        },
        {
          title: 'Connected clients',
          description: 'Open CSP connections.',
          unit: 'short',
          targets: [t(`sum by (site) (ots_mailbox_connections{${SITE}})`, '{{site}}')],
        },
        {
          title: 'Login failures by reason',
          description: 'CSP handshakes that did not succeed.',
          unit: 'short',
          stack: true,
          targets: [
            t(
              `sum by (site, outcome) (rate(ots_mailbox_logins_total{${SITE},outcome!="ok"}[$__rate_interval]))`,
              '{{site}} {{outcome}}',
            ),
          ],
        },
      ],
    },
    {
      title: 'Push',
      panels: [
        {
          title: 'Push outcomes by provider and reason',
          description: 'sent, failed, dropped_expired, token_deleted.',
          unit: 'short',
          stack: true,
          targets: [
            t(
              `sum by (site, provider, outcome, reason) (rate(ots_push_notifications_total{${SITE}}[$__rate_interval]))`,
              '{{site}} {{provider}} {{outcome}} {{reason}}',
            ),
          ],
        },
        {
          title: 'Wake-ups pending / circuits open',
          description: 'Push work queue backlog and open provider circuit breakers.',
          unit: 'short',
          targets: [
            t(`sum by (site) (ots_push_wakeups_pending{${SITE}})`, '{{site}} pending'),
            t(`sum by (site) (ots_push_circuit_open{${SITE}})`, '{{site}} circuits open'),
          ],
        },
      ],
    },
    {
      title: 'Dependencies: PostgreSQL and NATS',
      panels: [
        {
          title: 'PostgreSQL replication lag',
          description: 'CloudNativePG exporter: lag of each standby (the other site included).',
          unit: 's',
          targets: [t('max by (cluster, pod) (cnpg_pg_replication_lag)', '{{cluster}} {{pod}}')],
        },
        {
          title: 'NATS client connections',
          description: 'prometheus-nats-exporter, per server.',
          unit: 'short',
          targets: [t('sum by (server_id) (gnatsd_varz_connections)', '{{server_id}}')],
        },
        {
          title: 'NATS messages in / out per second',
          description: 'Routing signals, events and work queue traffic.',
          unit: 'short',
          targets: [
            t('sum(rate(gnatsd_varz_in_msgs[$__rate_interval]))', 'in'),
            t('sum(rate(gnatsd_varz_out_msgs[$__rate_interval]))', 'out'),
          ],
        },
        {
          title: 'NATS slow consumers',
          description: 'Slow consumers disconnected by the servers.',
          unit: 'short',
          targets: [
            t('sum by (server_id) (increase(gnatsd_varz_slow_consumers[$__rate_interval]))', '{{server_id}}'),
          ],
        },
      ],
    },
  ],
};

const specific: Record<ServiceName, readonly Row[]> = {
  directory: directoryRows,
  mailbox: mailboxRows,
  push: pushRows,
  'contact-sync': contactSyncRows,
  'data-export': [],
};

export const DASHBOARDS: readonly DashboardSpec[] = [
  overview,
  ...SERVICES.map((service): DashboardSpec => ({
    file: `ots-${service}.json`,
    uid: `ots-${service}`,
    title: `OTS / ${service}`,
    description: `Rate, errors and duration of ${service}, and its own signals.`,
    rows: [redRow(service), ...specific[service], processRow(service)],
  })),
];

/** Every PromQL expression of a dashboard. */
export function dashboardQueries(spec: DashboardSpec): string[] {
  return spec.rows.flatMap((row) =>
    row.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
  );
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** Grafana dashboard JSON (schemaVersion 39): rows of panels, 24 columns wide, datasource and site variables. */
export function renderDashboard(spec: DashboardSpec): string {
  const panels: unknown[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({
      id: id++,
      type: 'row',
      title: row.title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    const width = Math.max(6, Math.floor(24 / row.panels.length));
    row.panels.forEach((panel, index) => {
      panels.push({
        id: id++,
        type: panel.kind ?? 'timeseries',
        title: panel.title,
        description: panel.description,
        datasource: DATASOURCE,
        gridPos: { h: 8, w: width, x: (index * width) % 24, y: y + Math.floor((index * width) / 24) * 8 },
        fieldConfig: {
          defaults: {
            unit: panel.unit,
            ...(panel.kind === 'stat'
              ? {}
              : {
                  custom: {
                    stacking: { mode: panel.stack ? 'normal' : 'none' },
                    fillOpacity: panel.stack ? 30 : 10,
                  },
                }),
          },
          overrides: [],
        },
        options:
          panel.kind === 'stat'
            ? { reduceOptions: { calcs: ['lastNotNull'] } }
            : { legend: { displayMode: 'list', placement: 'bottom' } },
        targets: panel.targets.map((target, index2) => ({
          refId: String.fromCharCode(65 + index2),
          datasource: DATASOURCE,
          expr: target.expr,
          legendFormat: target.legendFormat,
        })),
      });
    });
    y += Math.ceil((row.panels.length * width) / 24) * 8;
  }
  const dashboard = {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['ots'],
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timezone: 'utc',
    links: [{ title: 'OTS dashboards', type: 'dashboards', tags: ['ots'], asDropdown: true }],
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
        },
        {
          name: 'site',
          label: 'Site',
          type: 'query',
          datasource: DATASOURCE,
          query: {
            query: 'label_values(ots_process_start_time_seconds{job=~"ots-.+"}, site)',
            refId: 'site',
          },
          definition: 'label_values(ots_process_start_time_seconds{job=~"ots-.+"}, site)',
          refresh: 2,
          includeAll: true,
          multi: true,
          allValue: '.*',
          current: { text: 'All', value: '$__all' },
          sort: 1,
        },
      ],
    },
    annotations: { list: [] },
    panels,
  };
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
