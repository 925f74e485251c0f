import { openFdsOf, parsePrometheusText, rssMiBOf } from './process-sampler';

describe('process sampling', () => {
  it('reads prom-client default metrics with their labels', () => {
    const text = [
      '# HELP ots_nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.',
      '# TYPE ots_nodejs_heap_size_used_bytes gauge',
      'ots_nodejs_heap_size_used_bytes{service="mailbox",site="soak"} 52428800',
      'ots_nodejs_eventloop_lag_p99_seconds{service="mailbox",site="soak"} 0.0123',
      'ots_process_open_fds 42',
      'ots_http_server_request_duration_seconds_bucket{le="+Inf",method="GET"} 7',
    ].join('\n');
    const values = parsePrometheusText(text);
    expect(values.get('ots_nodejs_heap_size_used_bytes')).toBe(52428800);
    expect(values.get('ots_nodejs_eventloop_lag_p99_seconds')).toBeCloseTo(0.0123);
    expect(values.get('ots_process_open_fds')).toBe(42);
  });

  it('reads RSS and open files of a live process from /proc, NaN for one that is gone', () => {
    expect(rssMiBOf(process.pid)).toBeGreaterThan(10);
    expect(openFdsOf(process.pid)).toBeGreaterThan(2);
    expect(rssMiBOf(2 ** 22 + 1)).toBeNaN();
    expect(openFdsOf(2 ** 22 + 1)).toBeNaN();
  });
});
