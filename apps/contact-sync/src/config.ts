import { commonEnv, hostPort, httpPortEnv, loadConfig, positiveInt } from '@ots/config';

export const contactSyncEnv = {
  ...commonEnv,
  ...httpPortEnv(8104),
  DIRECTORY_GRPC_URL: hostPort(),
  /** spec §4.3 `checkInterval`: how long clients wait before the next sync */
  CONTACT_SYNC_CHECK_INTERVAL_SECONDS: positiveInt().default(86_400),
  /** lifetime of a match token */
  CONTACT_SYNC_MATCH_TOKEN_TTL_SECONDS: positiveInt().default(600),
  /** hashes (e-mail + phone) in one match request; more is a 413 */
  CONTACT_SYNC_MAX_HASHES_PER_REQUEST: positiveInt().default(5_000),
  /** anti-enumeration: hashes one identity may look up per day */
  CONTACT_SYNC_HASHES_PER_IDENTITY_PER_DAY: positiveInt().default(20_000),
  /** anti-enumeration: match and match_token requests per identity per minute */
  CONTACT_SYNC_REQUESTS_PER_IDENTITY_PER_MINUTE: positiveInt().default(10),
} as const;

export type ContactSyncConfig = ReturnType<typeof loadContactSyncConfig>;

export function loadContactSyncConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(contactSyncEnv, env);
}

export const CONTACT_SYNC_CONFIG = Symbol('CONTACT_SYNC_CONFIG');
