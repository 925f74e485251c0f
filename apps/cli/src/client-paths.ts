import { dirname, isAbsolute, join, resolve } from 'node:path';

import { UsageError } from './usage';

export interface ClientPaths {
  readonly config: string;
  readonly trustKey: string;
  readonly profile: string;
}

const PROFILE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Where the CLI finds its files: the provisioning file and its pinned key as `npm start` writes them
 * (`.data/client-config.oppf`, `.data/oppf-signing.pub`), and profiles beside them in `.data/profiles/`.
 */
export function clientPaths(
  options: { config?: string; trustKey?: string; profile?: string },
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): ClientPaths {
  const dataDir = resolve(cwd, env.OTS_DATA_DIR ?? '.data');
  const config =
    options.config === undefined ? join(dataDir, 'client-config.oppf') : resolve(cwd, options.config);
  const trustKey =
    options.trustKey === undefined
      ? join(dirname(config), 'oppf-signing.pub')
      : resolve(cwd, options.trustKey);
  return { config, trustKey, profile: profilePath(options.profile ?? 'default', dirname(config), cwd) };
}

/** A bare name is a profile in <data>/profiles; anything with a slash or a .json ending is a path. */
function profilePath(profile: string, dataDir: string, cwd: string): string {
  if (profile.includes('/') || profile.endsWith('.json') || isAbsolute(profile)) return resolve(cwd, profile);
  if (!PROFILE_NAME.test(profile)) {
    throw new UsageError(
      '--profile must be a name of letters, digits, "-" or "_", or a path to a .json file',
    );
  }
  return join(dataDir, 'profiles', `${profile}.json`);
}
