import { describeCommonServiceConfig } from '@ots/testing';

import { loadContactSyncConfig } from './config';

const valid = { NATS_URL: 'nats://127.0.0.1:4222', DIRECTORY_GRPC_URL: 'directory:9101' };

describeCommonServiceConfig('contact-sync', loadContactSyncConfig, valid);

describe('contact-sync configuration', () => {
  it('has no database setting at all (contact hashes never reach storage)', () => {
    const config = loadContactSyncConfig(valid);
    expect(Object.keys(config).filter((key) => /DATABASE|POSTGRES|PG/.test(key))).toEqual([]);
  });
});
