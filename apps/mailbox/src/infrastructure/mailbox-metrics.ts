import type { MetricsRegistry } from '@ots/observability';
import { Counter, Gauge, Histogram } from 'prom-client';

import type { MailboxTelemetry } from '../domain/ports';

/** The mailbox's Prometheus metrics (names documented in docs/operations; no per-identity labels). */
export class MailboxMetrics implements MailboxTelemetry {
  readonly connections: Gauge;
  readonly logins: Counter<'outcome'>;
  readonly acceptedTotal: Counter;
  readonly deliveredTotal: Counter;
  readonly ackedTotal: Counter;
  readonly expiredTotal: Counter;
  readonly rejectedTotal: Counter<'reason'>;
  readonly protocolErrors: Counter<'reason'>;
  readonly queueDepth: Gauge;
  readonly queueOldestAge: Gauge;
  readonly deliveryLatency: Histogram;
  readonly commitDuration: Histogram;
  readonly batchSize: Histogram;
  readonly wakeUps: Counter<'outcome'>;
  readonly queueRereads: Counter<'reason'>;
  readonly replicaLoads: Counter<'outcome'>;

  private replicaSize: () => number = () => 0;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    const replicaSize = () => this.replicaSize();
    this.connections = new Gauge({
      name: 'ots_mailbox_connections',
      help: 'Authenticated CSP connections',
      registers,
    });
    this.logins = new Counter({
      name: 'ots_mailbox_logins_total',
      help: 'CSP login attempts by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.acceptedTotal = new Counter({
      name: 'ots_mailbox_messages_accepted_total',
      help: 'Outgoing messages stored (or handed over, flag 0x02) and acknowledged to the sender',
      registers,
    });
    this.deliveredTotal = new Counter({
      name: 'ots_mailbox_messages_delivered_total',
      help: 'Messages written to a receiver connection',
      registers,
    });
    this.ackedTotal = new Counter({
      name: 'ots_mailbox_messages_acked_total',
      help: 'Messages acknowledged by their receiver (and deleted)',
      registers,
    });
    this.expiredTotal = new Counter({
      name: 'ots_mailbox_messages_expired_total',
      help: 'Undelivered messages deleted at the end of their retention',
      registers,
    });
    this.rejectedTotal = new Counter({
      name: 'ots_mailbox_messages_rejected_total',
      help: 'Outgoing messages not queued, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.protocolErrors = new Counter({
      name: 'ots_mailbox_protocol_errors_total',
      help: 'Malformed or unexpected client input, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.queueDepth = new Gauge({
      name: 'ots_mailbox_queue_depth',
      help: 'Messages queued in total',
      registers,
    });
    this.queueOldestAge = new Gauge({
      name: 'ots_mailbox_queue_oldest_age_seconds',
      help: 'Age of the oldest queued message',
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: 'ots_mailbox_delivery_latency_seconds',
      help: 'From accepting a message to writing it to the receiver',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 300, 3600],
      registers,
    });
    this.commitDuration = new Histogram({
      name: 'ots_mailbox_store_commit_duration_seconds',
      help: 'Duration of one group commit',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'ots_mailbox_store_batch_size',
      help: 'Messages per group commit',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    });
    this.queueRereads = new Counter({
      name: 'ots_mailbox_queue_rereads_total',
      help: 'Live messages left to another pass over the queue instead of written at once, by reason (live_overflow: the connection is too far behind; during_backlog: its backlog is still being read; blocked: a multi-device connection before 0x03)',
      labelNames: ['reason'],
      registers,
    });
    // every reason from the start, at 0: a dashboard shows the rate as 0, not as no data
    for (const reason of ['live_overflow', 'during_backlog', 'blocked']) this.queueRereads.inc({ reason }, 0);
    new Gauge({
      name: 'ots_mailbox_identity_replica_entries',
      help: 'Identities in the in-memory replica of the directory (0 while the first walk is under way or when it is off)',
      registers,
      collect() {
        this.set(replicaSize());
      },
    });
    this.replicaLoads = new Counter({
      name: 'ots_mailbox_identity_replica_walks_total',
      help: 'Walks of the directory by the identity replica, by outcome (loaded, failed: retried with back-off)',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of ['loaded', 'failed']) this.replicaLoads.inc({ outcome }, 0);
    this.wakeUps = new Counter({
      name: 'ots_mailbox_wakeups_total',
      help: 'Push wake-ups for offline receivers, by outcome: queued, failed (published again later), dropped (expired or too many waiting)',
      labelNames: ['outcome'],
      registers,
    });
  }

  setReplicaSize(sizeOf: () => number): void {
    this.replicaSize = sizeOf;
  }

  accepted(): void {
    this.acceptedTotal.inc();
  }

  rejected(reason: string): void {
    this.rejectedTotal.inc({ reason });
  }

  delivered(acceptedAtMs: number | undefined): void {
    this.deliveredTotal.inc();
    if (acceptedAtMs !== undefined)
      this.deliveryLatency.observe(Math.max(0, Date.now() - acceptedAtMs) / 1000);
  }

  acked(): void {
    this.ackedTotal.inc();
  }

  protocolError(reason: string): void {
    this.protocolErrors.inc({ reason });
  }

  queueReread(reason: string): void {
    this.queueRereads.inc({ reason });
  }
}
