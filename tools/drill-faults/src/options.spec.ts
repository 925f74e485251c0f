import { CI_RUN, FULL_RUN, parseOptions } from './options';

describe('parseOptions', () => {
  it('defaults to the full run, --ci to the small CI pass', () => {
    expect(parseOptions([])).toEqual(FULL_RUN);
    expect(parseOptions(['--ci'])).toEqual(CI_RUN);
    expect(CI_RUN.faults).toEqual(['mailbox', 'push', 'directory', 'nats', 'postgres']);
  });

  it('takes numbers and a fault list', () => {
    const options = parseOptions([
      '--ci',
      '--online',
      '6',
      '--downtime-ms',
      '500',
      '--faults',
      'nats,postgres',
    ]);
    expect(options).toMatchObject({ onlineClients: 6, downtimeMs: 500, faults: ['nats', 'postgres'] });
  });

  it.each([
    [['--online', '3'], /even number/],
    [['--offline', '0'], /at least 1/],
    [['--faults', 'disk'], /comma-separated list/],
    [['--bogus', '1'], /unknown option --bogus/],
    [['--online'], /needs a value/],
    [['--downtime-ms', '-1'], /whole number/],
  ])('refuses %p', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(message);
  });
});
