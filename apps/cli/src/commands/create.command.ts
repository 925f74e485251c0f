import { existsSync } from 'node:fs';

import { IdentityProfile, saveProfile } from '@ots/client';

import { type CliContext, CliError } from '../cli-context';

/** `create`: a new identity from the directory (spec §4.2 two-phase create), stored in the profile (mode 0600). */
export async function createCommand(context: CliContext): Promise<number> {
  const { profile: path } = context.paths;
  // checked before the directory call, so that a refused overwrite does not waste an identity
  if (existsSync(path) && !context.line.force) {
    throw new CliError(
      `profile ${path} exists already; choose another --profile or add --force to replace it`,
    );
  }
  const created = await context.directory().createIdentity();
  saveProfile(
    path,
    new IdentityProfile(created.identity, created.secretKey, created.serverGroup, created.publicKey),
    { overwrite: context.line.force },
  );
  context.deps.out(`Created identity ${created.identity} (server group ${created.serverGroup}).`);
  context.deps.out(`Profile saved to ${path}`);
  return 0;
}
