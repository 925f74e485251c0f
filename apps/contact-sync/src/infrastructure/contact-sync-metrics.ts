import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@ots/observability';
import { Counter, Gauge } from 'prom-client';

/** Aggregates only: no per-identity labels. */
@Injectable()
export class ContactSyncMetrics {
  private readonly matches: Counter;
  private sizeOf: () => number = () => 0;

  constructor(metrics: MetricsRegistry) {
    const sizeOf = () => this.sizeOf();
    new Gauge({
      name: 'ots_contact_sync_index_entries',
      help: 'Linked hashes in the in-memory contact index',
      registers: [metrics.registry],
      collect() {
        this.set(sizeOf());
      },
    });
    this.matches = new Counter({
      name: 'ots_contact_sync_matches_total',
      help: 'Identities returned by identity/match',
      registers: [metrics.registry],
    });
  }

  setIndexSize(sizeOf: () => number): void {
    this.sizeOf = sizeOf;
  }

  recordMatches(count: number): void {
    this.matches.inc(count);
  }
}
