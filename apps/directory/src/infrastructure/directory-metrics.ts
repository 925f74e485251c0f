import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@ots/observability';
import { Counter } from 'prom-client';

/** The abuse limits a request can be refused by, as the `limit` label of ots_directory_rate_limited_total. */
export const RATE_LIMIT_NAMES = ['create_per_source', 'lookups_per_source', 'signed_per_identity'] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

/** The directory's own Prometheus metrics. Aggregates only: no identity, source address or key in any label. */
@Injectable()
export class DirectoryMetrics {
  private readonly created: Counter;
  private readonly refused: Counter<'limit'>;

  constructor(metrics: MetricsRegistry) {
    this.created = new Counter({
      name: 'ots_directory_identities_created_total',
      help: 'Identities created by identity/create (phase 2 succeeded)',
      registers: [metrics.registry],
    });
    this.refused = new Counter({
      name: 'ots_directory_rate_limited_total',
      help: 'Requests refused with 429 by an abuse limit, by limit',
      labelNames: ['limit'],
      registers: [metrics.registry],
    });
    // every limit has a series from the start: a rate over a missing series is no data, not zero
    for (const limit of RATE_LIMIT_NAMES) this.refused.labels(limit).inc(0);
  }

  identityCreated(): void {
    this.created.inc();
  }

  refusedBy(limit: RateLimitName): void {
    this.refused.labels(limit).inc();
  }
}
