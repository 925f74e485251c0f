import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

import type { ServiceIdentity } from './logger';

/**
 * One Prometheus registry per process. Labels are per service and site only: the privacy rules forbid
 * per-identity labels, so HTTP metrics are labelled with the route pattern, never the raw path.
 */
export class MetricsRegistry {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(identity: ServiceIdentity) {
    this.registry.setDefaultLabels({ service: identity.service, site: identity.site });
    collectDefaultMetrics({ register: this.registry, prefix: 'ots_' });
    this.httpRequestDuration = new Histogram({
      name: 'ots_http_server_request_duration_seconds',
      help: 'HTTP request duration by route pattern, method and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  async exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
