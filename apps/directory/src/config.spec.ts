import { configProblems, describeCommonServiceConfig } from '@ots/testing';

import { loadDirectoryConfig } from './config';

const valid = { NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/ots' };

describeCommonServiceConfig('directory', loadDirectoryConfig, valid);

describe('directory configuration', () => {
  it('requires a PostgreSQL DATABASE_URL', () => {
    expect(configProblems(loadDirectoryConfig, { ...valid, DATABASE_URL: 'mysql://x@y/z' })).toEqual([
      'DATABASE_URL must be a URL with scheme postgres or postgresql',
    ]);
  });
});

describe('directory identity settings', () => {
  it('defaults the server group to 00 and the check interval to a day', () => {
    const config = loadDirectoryConfig(valid);
    expect(config.DIRECTORY_SERVER_GROUP).toBe('00');
    expect(config.DIRECTORY_CHECK_INTERVAL_S).toBe(86_400);
  });

  it.each([['0A'], ['a'], ['abc'], ['zz']])('refuses server group %p', (group) => {
    expect(configProblems(loadDirectoryConfig, { ...valid, DIRECTORY_SERVER_GROUP: group })).toEqual([
      'DIRECTORY_SERVER_GROUP must be two lower-case hex digits',
    ]);
  });
});
