import { DEFAULT_OPTIONS, parseOptions } from './options';

describe('parseOptions', () => {
  it('runs three drills by default', () => {
    expect(parseOptions([])).toEqual(DEFAULT_OPTIONS);
    expect(DEFAULT_OPTIONS.runs).toBe(3);
  });

  it('reads --flag value and --flag=value', () => {
    expect(parseOptions(['--runs', '5', '--rate=2.5', '--clients-per-site', '3'])).toMatchObject({
      runs: 5,
      ratePerClient: 2.5,
      clientsPerSite: 3,
    });
  });

  it('turns on the negative control and accepts zero late receivers', () => {
    expect(parseOptions(['--control-without-replication', '--late-receivers-per-site', '0'])).toMatchObject({
      controlWithoutReplication: true,
      lateReceiversPerSite: 0,
    });
    expect(parseOptions([]).controlWithoutReplication).toBe(false);
    expect(parseOptions(['--silent-site-loss'])).toMatchObject({
      silentSiteLoss: true,
      controlWithoutReplication: false,
    });
    expect(parseOptions([]).silentSiteLoss).toBe(false);
  });

  it('rejects unknown flags and bad values, naming the flag', () => {
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseOptions(['--runs'])).toThrow(/--runs needs a positive number/);
    expect(() => parseOptions(['--runs', '0'])).toThrow(/--runs needs a positive number/);
    expect(() => parseOptions(['--runs', '1.5'])).toThrow(/--runs needs a whole number/);
    expect(() => parseOptions(['--clients-per-site', '1'])).toThrow(/at least 2/);
  });
});
