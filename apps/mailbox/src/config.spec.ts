import { configProblems, describeCommonServiceConfig, temporaryKeyFile } from '@ots/testing';

import { loadMailboxConfig } from './config';

const keyFile = temporaryKeyFile('ab'.repeat(32));
const valid = {
  NATS_URL: 'nats://127.0.0.1:4222',
  DIRECTORY_GRPC_URL: 'directory:9101',
  PUSH_GRPC_URL: 'push:9103',
  DATABASE_URL: 'postgresql://mailbox@db:5432/ots',
  CSP_SERVER_SECRET_KEY_FILE: keyFile,
};

describeCommonServiceConfig('mailbox', loadMailboxConfig, valid);

describe('mailbox configuration', () => {
  it('reads the chat server key from its file and names a missing one', () => {
    expect(Buffer.from(loadMailboxConfig(valid).CSP_SERVER_SECRET_KEY_FILE).toString('hex')).toBe(
      'ab'.repeat(32),
    );
    expect(
      configProblems(loadMailboxConfig, { ...valid, CSP_SERVER_SECRET_KEY_FILE: '/nonexistent/csp.key' }),
    ).toEqual(['CSP_SERVER_SECRET_KEY_FILE cannot read the key file (ENOENT)']);
  });

  it('requires the directory gRPC address as host:port', () => {
    expect(configProblems(loadMailboxConfig, { ...valid, DIRECTORY_GRPC_URL: 'directory' })).toEqual([
      'DIRECTORY_GRPC_URL must be host:port with a port between 1 and 65535',
    ]);
  });

  it('defaults to the chat server port 5222, 14 days retention and the legacy vouch off', () => {
    const config = loadMailboxConfig(valid);
    expect(config.CSP_PORT).toBe(5222);
    expect(config.MAILBOX_RETENTION_DAYS).toBe(14);
    expect(config.CSP_ALLOW_LEGACY_VOUCH).toBe(false);
    expect(loadMailboxConfig({ ...valid, CSP_ALLOW_LEGACY_VOUCH: 'true' }).CSP_ALLOW_LEGACY_VOUCH).toBe(true);
  });

  it('names out-of-range settings', () => {
    expect(
      configProblems(loadMailboxConfig, {
        ...valid,
        CSP_IDLE_TIMEOUT_S: '10',
        MAILBOX_QUEUE_QUOTA: '0',
        MAILBOX_STORE_CONCURRENCY: '0',
        PUSH_GRPC_URL: '',
      }),
    ).toEqual([
      'PUSH_GRPC_URL is required but not set',
      'CSP_IDLE_TIMEOUT_S Number must be greater than or equal to 30',
      'MAILBOX_QUEUE_QUOTA must be > 0',
      'MAILBOX_STORE_CONCURRENCY Number must be greater than or equal to 1',
    ]);
    expect(loadMailboxConfig(valid).MAILBOX_STORE_CONCURRENCY).toBe(2);
  });
});
