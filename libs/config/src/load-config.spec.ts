import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { commonEnv, ConfigError, hostPort, httpPortEnv, loadConfig, secretKeyFile, url } from './index';

const shape = { ...commonEnv, ...httpPortEnv(8101), DATABASE_URL: url(['postgres', 'postgresql']) };
const valid = { NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://u:secretpw@db:5432/ots' };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(shape, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults and coerces types', () => {
    const config = loadConfig(shape, valid);
    expect(config.HTTP_PORT).toBe(8101);
    expect(config.OTS_SITE).toBe('local');
    expect(config.NATS_URL).toEqual(['nats://127.0.0.1:4222']);
    expect(config.SHUTDOWN_GRACE_MS).toBe(10_000);
  });

  it('names a missing variable', () => {
    expect(problemsOf({ NATS_URL: 'nats://x:1' })).toEqual(['DATABASE_URL is required but not set']);
  });

  it('treats an empty value as unset', () => {
    expect(problemsOf({ ...valid, NATS_URL: '' })).toEqual(['NATS_URL is required but not set']);
  });

  it('names each bad value and never echoes it', () => {
    const problems = problemsOf({ ...valid, HTTP_PORT: '70000', DATABASE_URL: 'mysql://u:hunter2@db/x' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/^HTTP_PORT must be a TCP port between 1 and 65535$/m);
    expect(problems.join('\n')).toMatch(/^DATABASE_URL must be a URL with scheme postgres or postgresql$/m);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('rejects a non-numeric port and a bad site name', () => {
    const problems = problemsOf({ ...valid, HTTP_PORT: 'abc', OTS_SITE: 'Site A' });
    expect(problems.some((p) => p.startsWith('HTTP_PORT '))).toBe(true);
    expect(problems.some((p) => p.startsWith('OTS_SITE '))).toBe(true);
  });

  it('validates host:port peers', () => {
    expect(loadConfig({ PEER: hostPort() }, { PEER: 'directory:9101' }).PEER).toBe('directory:9101');
    expect(() => loadConfig({ PEER: hostPort() }, { PEER: 'directory' })).toThrow(
      /PEER must be host:port with a port between 1 and 65535/,
    );
  });
});

describe('secretKeyFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ots-config-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a 32-byte hex key', () => {
    const path = join(dir, 'good.key');
    writeFileSync(path, `${'ab'.repeat(32)}\n`);
    const config = loadConfig({ KEY_FILE: secretKeyFile() }, { KEY_FILE: path });
    expect(Buffer.from(config.KEY_FILE).toString('hex')).toBe('ab'.repeat(32));
  });

  it('names the variable when the file is missing or malformed, without printing its content', () => {
    const bad = join(dir, 'bad.key');
    writeFileSync(bad, 'cd'.repeat(31));
    expect(() => loadConfig({ KEY_FILE: secretKeyFile() }, { KEY_FILE: join(dir, 'nope') })).toThrow(
      /KEY_FILE cannot read the key file \(ENOENT\)/,
    );
    let message = '';
    try {
      loadConfig({ KEY_FILE: secretKeyFile() }, { KEY_FILE: bad });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/KEY_FILE the key file must contain 32 bytes as 64 hex characters/);
    expect(message).not.toContain('cdcd');
  });
});
