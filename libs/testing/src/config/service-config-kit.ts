import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError, type Env } from '@ots/config';

/** The problems a config loader reports for `env`, or [] when it accepts it. */
export function configProblems(load: (env: Env) => unknown, env: Env): readonly string[] {
  try {
    load(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** A 32-byte hex key in a fresh file (for *_KEY_FILE settings), removed after the test file. */
export function temporaryKeyFile(hex = 'ab'.repeat(32)): string {
  const dir = mkdtempSync(join(tmpdir(), 'ots-key-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const path = join(dir, 'secret.key');
  writeFileSync(path, hex, { mode: 0o600 });
  return path;
}

/** The checks every service's configuration must pass: complete env accepted, bad and missing values named. */
export function describeCommonServiceConfig(service: string, load: (env: Env) => unknown, valid: Env): void {
  describe(`${service} configuration (common settings)`, () => {
    it('accepts a complete environment', () => {
      expect(configProblems(load, valid)).toEqual([]);
    });

    it('names a bad HTTP_PORT', () => {
      expect(configProblems(load, { ...valid, HTTP_PORT: 'eighty' })).toEqual([
        expect.stringMatching(/^HTTP_PORT /),
      ]);
    });

    it('names a missing NATS_URL', () => {
      expect(configProblems(load, { ...valid, NATS_URL: undefined })).toEqual([
        'NATS_URL is required but not set',
      ]);
    });
  });
}
