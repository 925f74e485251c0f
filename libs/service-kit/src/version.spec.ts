import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { resolveVersion } from './version';

describe('resolveVersion', () => {
  const made: string[] = [];
  const tempDir = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('prefers OTS_VERSION from the image', () => {
    expect(resolveVersion(__dirname, { OTS_VERSION: '2.4.0' })).toBe('2.4.0');
  });

  it('finds the workspace package.json above a nested folder', () => {
    const root = tempDir('ots-version-');
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: '@ots/source', version: '9.8.7' }));
    const nested = join(root, 'dist', 'apps', 'push');
    mkdirSync(nested, { recursive: true });
    writeFileSync(
      join(root, 'dist', 'package.json'),
      JSON.stringify({ name: 'something-else', version: '1.0.0' }),
    );
    expect(resolveVersion(nested, {})).toBe('9.8.7');
  });

  it('falls back to a dev version outside any workspace', () => {
    expect(resolveVersion(tempDir('ots-none-'), {})).toBe('0.0.0-dev');
  });
});
