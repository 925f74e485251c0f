import { mailboxInternals, parseMetrics } from './mailbox-metrics-probe';

const exposition = (commits: number, seconds: number, batched: number, fast: number, slow: number) => `
# HELP ots_mailbox_store_commit_duration_seconds Duration of one group commit
# TYPE ots_mailbox_store_commit_duration_seconds histogram
ots_mailbox_store_commit_duration_seconds_sum ${String(seconds)}
ots_mailbox_store_commit_duration_seconds_count ${String(commits)}
ots_mailbox_store_batch_size_sum ${String(batched)}
ots_mailbox_messages_acked_total{service="mailbox"} 7
ots_mailbox_messages_acked_total{service="other"} 3
ots_mailbox_delivery_latency_seconds_bucket{service="mailbox",le="0.001",site="a"} ${String(fast)}
ots_mailbox_delivery_latency_seconds_bucket{le="0.05"} ${String(fast)}
ots_mailbox_delivery_latency_seconds_bucket{le="0.1"} ${String(fast + slow)}
ots_mailbox_delivery_latency_seconds_bucket{le="+Inf"} ${String(fast + slow)}
`;

describe('mailbox metrics probe', () => {
  it('reports the differences between two readings', () => {
    const before = parseMetrics(exposition(10, 0.01, 100, 5, 0));
    const after = parseMetrics(exposition(30, 0.05, 500, 105, 100));
    expect(mailboxInternals(before, after)).toEqual({
      commits: 20,
      meanCommitMs: 2,
      meanBatch: 20,
      deletes: 0,
      queueRereads: 0,
      deliveryLatencyMs: { p50: '≤1', p99: '≤100' },
    });
  });

  it('says n/a when nothing was delivered', () => {
    const reading = parseMetrics(exposition(1, 1, 1, 0, 0));
    expect(mailboxInternals(reading, reading).deliveryLatencyMs).toEqual({ p50: 'n/a', p99: 'n/a' });
  });
});
