import { DEFAULT_OPTIONS, OptionsError, parseDuration, parseOptions } from './options';

describe('soak options', () => {
  it('defaults to 30 minutes with a 5-minute warm-up', () => {
    const options = parseOptions([]);
    expect(options.durationMs).toBe(30 * 60_000);
    expect(options.warmupMs).toBe(5 * 60_000);
    expect(options.rates).toEqual(DEFAULT_OPTIONS.rates);
  });

  it('reads durations, rates, scale and bounds', () => {
    const options = parseOptions([
      '--duration',
      '90s',
      '--online-rate',
      '100',
      '--scale',
      '0.5',
      '--max-heap-slope',
      '20',
      '--json-out',
      '/tmp/x.json',
    ]);
    expect(options.durationMs).toBe(90_000);
    expect(options.warmupMs).toBe(15_000);
    expect(options.rates.onlineMessages).toBe(50);
    expect(options.rates.lookups).toBe(DEFAULT_OPTIONS.rates.lookups / 2);
    expect(options.bounds.heapMiBPerHour).toBe(20);
    expect(options.jsonOut).toBe('/tmp/x.json');
    expect(parseDuration('1h', 'x')).toBe(3_600_000);
    expect(parseDuration('1500ms', 'x')).toBe(1500);
  });

  it('rejects bad input with a message naming the option', () => {
    expect(() => parseOptions(['--duration', 'soon'])).toThrow(/--duration must be a duration/);
    expect(() => parseOptions(['--online-rate', '-3'])).toThrow(/--online-rate must be a number/);
    expect(() => parseOptions(['--bogus', '1'])).toThrow(/unknown option --bogus/);
    expect(() => parseOptions(['--duration'])).toThrow(/--duration needs a value/);
    expect(() => parseOptions(['--duration', '60s', '--warmup', '60s'])).toThrow(OptionsError);
    expect(() => parseOptions(['--duration', '30s', '--warmup', '10s'])).toThrow(/three samples/);
  });
});
