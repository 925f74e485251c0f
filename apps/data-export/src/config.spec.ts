import { configProblems, describeCommonServiceConfig, temporaryKeyFile } from '@ots/testing';

import { loadDataExportConfig } from './config';

const keyFile = temporaryKeyFile('cd'.repeat(32));
const serverKey = Buffer.alloc(32, 9).toString('base64');
const valid = {
  NATS_URL: 'nats://127.0.0.1:4222',
  DIRECTORY_GRPC_URL: 'directory:9101',
  PUSH_GRPC_URL: 'push:9103',
  MAILBOX_GRPC_URL: 'mailbox:9102',
  MAILBOX_CSP_HOST: 'mailbox',
  MAILBOX_CSP_PUBLIC_KEY: serverKey,
  MY3DATA_SECRET_KEY_FILE: keyFile,
};

describeCommonServiceConfig('data-export', loadDataExportConfig, valid);

describe('data-export configuration', () => {
  it('reads the bot key from its file and the pinned server key, with defaults', () => {
    const config = loadDataExportConfig(valid);
    expect(Buffer.from(config.MY3DATA_SECRET_KEY_FILE).toString('hex')).toBe('cd'.repeat(32));
    expect(Buffer.from(config.MAILBOX_CSP_PUBLIC_KEY).equals(Buffer.alloc(32, 9))).toBe(true);
    expect(config.MY3DATA_IDENTITY).toBe('*MY3DATA');
    expect(config.MAILBOX_CSP_PORT).toBe(5222);
    expect(config.DATA_EXPORT_PER_IDENTITY_PER_HOUR).toBe(10);
  });

  it('names a missing key file, a bad server key and an ordinary identity without echoing values', () => {
    expect(
      configProblems(loadDataExportConfig, {
        ...valid,
        MY3DATA_SECRET_KEY_FILE: '/nonexistent/my3data.key',
        MAILBOX_CSP_PUBLIC_KEY: 'c2hvcnQ=',
        MY3DATA_IDENTITY: 'ABCD1234',
      }),
    ).toEqual([
      'MAILBOX_CSP_PUBLIC_KEY must be base64 of a 32-byte public key',
      'MY3DATA_SECRET_KEY_FILE cannot read the key file (ENOENT)',
      'MY3DATA_IDENTITY must be a system identity (* and 7 of [0-9A-Z])',
    ]);
  });

  it('requires the three gRPC addresses and the chat server host', () => {
    const problems = configProblems(loadDataExportConfig, {
      ...valid,
      PUSH_GRPC_URL: '',
      MAILBOX_GRPC_URL: '',
      MAILBOX_CSP_HOST: '',
    });
    expect(problems.map((problem) => problem.split(' ')[0]).sort()).toEqual([
      'MAILBOX_CSP_HOST',
      'MAILBOX_GRPC_URL',
      'PUSH_GRPC_URL',
    ]);
  });
});
