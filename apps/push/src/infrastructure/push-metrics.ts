import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@ots/observability';
import { Counter, Gauge, Histogram } from 'prom-client';

import type { ProviderName } from '../domain/tokens/push-target';
import type { FinalOutcome, PushOutcomeRecorder } from '../domain/wakeups/outcome-recorder';

/** The push metrics (names fixed: dashboards use them). Labels never carry an identity, device or token. */
@Injectable()
export class PushMetrics implements PushOutcomeRecorder {
  readonly notifications: Counter<'provider' | 'outcome' | 'reason'>;
  readonly providerRequestDuration: Histogram<'provider'>;
  readonly wakeupsPending: Gauge;
  readonly circuitOpenGauge: Gauge<'provider'>;
  readonly ownPushConnections: Gauge;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.notifications = new Counter({
      name: 'ots_push_notifications_total',
      help: 'Wake-ups per device by provider, final outcome and reason',
      labelNames: ['provider', 'outcome', 'reason'],
      registers,
    });
    this.providerRequestDuration = new Histogram({
      name: 'ots_push_provider_request_duration_seconds',
      help: 'Duration of one request to a push provider',
      labelNames: ['provider'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.wakeupsPending = new Gauge({
      name: 'ots_push_wakeups_pending',
      help: 'Wake-ups waiting in or handed out by the JetStream work queue and not yet acknowledged',
      registers,
    });
    this.circuitOpenGauge = new Gauge({
      name: 'ots_push_circuit_open',
      help: '1 while the circuit breaker of a provider is open',
      labelNames: ['provider'],
      registers,
    });
    this.ownPushConnections = new Gauge({
      name: 'ots_push_ownpush_connections',
      help: 'Authenticated own-push WebSocket connections',
      registers,
    });
  }

  outcome(provider: ProviderName, outcome: FinalOutcome, reason: string): void {
    this.notifications.inc({ provider, outcome, reason });
  }

  requestDuration(provider: ProviderName, seconds: number): void {
    this.providerRequestDuration.observe({ provider }, seconds);
  }

  circuitOpen(provider: ProviderName, open: boolean): void {
    this.circuitOpenGauge.set({ provider }, open ? 1 : 0);
  }
}
