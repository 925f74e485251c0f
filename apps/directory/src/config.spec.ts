import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError } from '@ots/config';

import { loadDirectoryConfig } from './config';

const keyDir = mkdtempSync(join(tmpdir(), 'ots-directory-'));
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
    loadDirectoryConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('directory configuration', () => {
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

  it('requires a PostgreSQL DATABASE_URL', () => {
    expect(problems({ ...valid, DATABASE_URL: 'mysql://x@y/z' })).toEqual([
      'DATABASE_URL must be a URL with scheme postgres or postgresql',
    ]);
  });
});
