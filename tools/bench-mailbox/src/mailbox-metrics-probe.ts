// What the mailbox itself saw during a scenario, read from its Prometheus text before and after: group commits
// (count, mean duration, mean batch size) and the accept → write-to-receiver latency (bucket upper bounds).

/** One sample line of the Prometheus text format: name{labels} value. */
const SAMPLE = /^([a-z_:][a-z0-9_:]*)(\{[^}]*\})?\s+(\S+)$/i;

/**
 * The samples of a Prometheus text exposition, keyed by name plus the `le` label of a histogram bucket; samples
 * that differ only in other labels (service, site, outcome…) are added up.
 */
export function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line.trim());
    if (!match) continue;
    const [, name, labels, value] = match as unknown as [string, string, string | undefined, string];
    const le = /le="([^"]+)"/.exec(labels ?? '')?.[1];
    const key = `${name}${le === undefined ? '' : `{le="${le}"}`}`;
    samples.set(key, (samples.get(key) ?? 0) + Number(value));
  }
  return samples;
}

export interface MailboxInternals {
  readonly commits: number;
  readonly meanCommitMs: number;
  readonly meanBatch: number;
  readonly deletes: number;
  /** live messages left to another pass over the queue (any reason) */
  readonly queueRereads: number;
  /** upper bound of the bucket holding the 50th / 99th percentile of accept → write latency */
  readonly deliveryLatencyMs: { readonly p50: string; readonly p99: string };
}

const delta = (before: Map<string, number>, after: Map<string, number>, key: string): number =>
  (after.get(key) ?? 0) - (before.get(key) ?? 0);

function bucketQuantile(
  before: Map<string, number>,
  after: Map<string, number>,
  name: string,
  quantile: number,
): string {
  const buckets: { le: string; count: number }[] = [];
  for (const key of after.keys()) {
    const match = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}$`).exec(key);
    if (match?.[1]) buckets.push({ le: match[1], count: delta(before, after, key) });
  }
  const total = buckets.find((bucket) => bucket.le === '+Inf')?.count ?? 0;
  if (total === 0) return 'n/a';
  const bound = buckets.find((bucket) => bucket.count >= quantile * total);
  if (!bound) return 'n/a';
  return bound.le === '+Inf' ? '+Inf' : `≤${String(Number(bound.le) * 1000)}`;
}

/** The figures of one scenario, from the samples read before and after it. */
export function mailboxInternals(before: Map<string, number>, after: Map<string, number>): MailboxInternals {
  const commits = delta(before, after, 'ots_mailbox_store_commit_duration_seconds_count');
  const commitSeconds = delta(before, after, 'ots_mailbox_store_commit_duration_seconds_sum');
  const batched = delta(before, after, 'ots_mailbox_store_batch_size_sum');
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    commits,
    meanCommitMs: commits > 0 ? round((commitSeconds / commits) * 1000) : 0,
    meanBatch: commits > 0 ? round(batched / commits) : 0,
    deletes: delta(before, after, 'ots_mailbox_messages_acked_total'),
    queueRereads: delta(before, after, 'ots_mailbox_queue_rereads_total'),
    deliveryLatencyMs: {
      p50: bucketQuantile(before, after, 'ots_mailbox_delivery_latency_seconds', 0.5),
      p99: bucketQuantile(before, after, 'ots_mailbox_delivery_latency_seconds', 0.99),
    },
  };
}
