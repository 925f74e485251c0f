import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The release version: OTS_VERSION if the image sets it, else the workspace package.json found upwards. */
export function resolveVersion(startDir: string = __dirname, env = process.env): string {
  const fromEnv = env.OTS_VERSION;
  if (fromEnv) return fromEnv;
  let dir = startDir;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === '@ots/source' && parsed.version) return parsed.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return '0.0.0-dev';
    dir = parent;
  }
}
