import { DirectoryClientError, DirectoryClientErrorCode } from '@ots/client';

import type { CliContext } from '../cli-context';

const STATES: Record<number, string> = { 0: 'active', 1: 'inactive' };

/** `whoami`: the profile's identity, public key and server group, and what the directory says about it. */
export async function whoamiCommand(context: CliContext): Promise<number> {
  const profile = context.profile();
  const { out } = context.deps;
  out(`identity:     ${profile.identity}`);
  out(`public key:   ${Buffer.from(profile.publicKey).toString('base64')}`);
  out(`server group: ${profile.serverGroup}`);
  out(`profile:      ${context.paths.profile}`);
  try {
    const entry = await context.directory().fetchIdentity(profile.identity);
    const matches = Buffer.from(entry.publicKey).equals(Buffer.from(profile.publicKey));
    if (!matches) {
      out('directory:    lists this identity with ANOTHER public key');
      return 1;
    }
    out(`directory:    ${STATES[entry.state] ?? `state ${entry.state}`}, feature mask ${entry.featureMask}`);
    return 0;
  } catch (error) {
    if (error instanceof DirectoryClientError && error.code === DirectoryClientErrorCode.NOT_FOUND) {
      out('directory:    unknown or revoked');
      return 1;
    }
    throw error;
  }
}
