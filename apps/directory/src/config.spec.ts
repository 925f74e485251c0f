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
