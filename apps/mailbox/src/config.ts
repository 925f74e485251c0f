import { commonEnv, hostPort, httpPortEnv, loadConfig, secretKeyFile } from '@ots/config';

export const mailboxEnv = {
  ...commonEnv,
  ...httpPortEnv(8102),
  DIRECTORY_GRPC_URL: hostPort(),
  /** the chat server's permanent X25519 secret key (spec §1.2 SK), 64 hex characters in a mounted file */
  CSP_SERVER_SECRET_KEY_FILE: secretKeyFile(32),
} as const;

export type MailboxConfig = ReturnType<typeof loadMailboxConfig>;

export function loadMailboxConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(mailboxEnv, env);
}

export const MAILBOX_CONFIG = Symbol('MAILBOX_CONFIG');
