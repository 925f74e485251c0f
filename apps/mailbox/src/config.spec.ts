import { configProblems, describeCommonServiceConfig, temporaryKeyFile } from '@ots/testing';

import { loadMailboxConfig } from './config';

const keyFile = temporaryKeyFile('ab'.repeat(32));
const valid = {
  NATS_URL: 'nats://127.0.0.1:4222',
  DIRECTORY_GRPC_URL: 'directory:9101',
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
});
