import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError } from '@ots/config';

import { loadMailboxConfig } from './config';

const keyDir = mkdtempSync(join(tmpdir(), 'ots-mailbox-'));
const keyFile = join(keyDir, 'csp.key');
afterAll(() => {
  rmSync(keyDir, { recursive: true, force: true });
});
writeFileSync(keyFile, 'ab'.repeat(32));

const valid: Record<string, string> = {
  NATS_URL: 'nats://127.0.0.1:4222',
  DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/ots',
  DIRECTORY_GRPC_URL: 'directory:9101',
  CSP_SERVER_SECRET_KEY_FILE: keyFile,
};

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadMailboxConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('mailbox configuration', () => {
  it('accepts a complete environment', () => {
    expect(problems(valid)).toEqual([]);
  });

  it('names a bad HTTP_PORT', () => {
    expect(problems({ ...valid, HTTP_PORT: 'eighty' })).toEqual([expect.stringMatching(/^HTTP_PORT /)]);
  });

  it('names a missing NATS_URL', () => {
    const { NATS_URL: _omitted, ...rest } = valid;
    expect(problems(rest)).toEqual(['NATS_URL is required but not set']);
  });

  it('reads the chat server key from its file and names a missing one', () => {
    expect(Buffer.from(loadMailboxConfig(valid).CSP_SERVER_SECRET_KEY_FILE).toString('hex')).toBe(
      'ab'.repeat(32),
    );
    expect(problems({ ...valid, CSP_SERVER_SECRET_KEY_FILE: '/nonexistent/csp.key' })).toEqual([
      'CSP_SERVER_SECRET_KEY_FILE cannot read the key file (ENOENT)',
    ]);
  });

  it('requires the directory gRPC address as host:port', () => {
    expect(problems({ ...valid, DIRECTORY_GRPC_URL: 'directory' })).toEqual([
      'DIRECTORY_GRPC_URL must be host:port with a port between 1 and 65535',
    ]);
  });
});
