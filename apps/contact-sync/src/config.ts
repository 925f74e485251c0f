import { commonEnv, hostPort, httpPortEnv, loadConfig } from '@ots/config';

export const contactSyncEnv = {
  ...commonEnv,
  ...httpPortEnv(8104),
  DIRECTORY_GRPC_URL: hostPort(),
} as const;

export type ContactSyncConfig = ReturnType<typeof loadContactSyncConfig>;

export function loadContactSyncConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(contactSyncEnv, env);
}

export const CONTACT_SYNC_CONFIG = Symbol('CONTACT_SYNC_CONFIG');
