import {
  commonEnv,
  host,
  hostPort,
  httpPortEnv,
  loadConfig,
  port,
  positiveInt,
  secretKeyFile,
} from '@ots/config';
import { z } from 'zod';

/** base64 of a 32-byte X25519 public key */
const publicKeyBase64 = () =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be base64 of a 32-byte public key')
    .transform((value) => new Uint8Array(Buffer.from(value, 'base64')));

export const dataExportEnv = {
  ...commonEnv,
  ...httpPortEnv(8105),
  DIRECTORY_GRPC_URL: hostPort(),
  PUSH_GRPC_URL: hostPort(),
  MAILBOX_GRPC_URL: hostPort(),
  // the chat server the *MY3DATA bot logs in to, and its pinned permanent public key (spec §1.2)
  MAILBOX_CSP_HOST: host(),
  MAILBOX_CSP_PORT: port().default(5222),
  MAILBOX_CSP_PUBLIC_KEY: publicKeyBase64(),
  // the bot's identity and its X25519 secret key (docs/adr/0018-system-identities.md)
  MY3DATA_SECRET_KEY_FILE: secretKeyFile(),
  MY3DATA_IDENTITY: z
    .string()
    .regex(/^\*[0-9A-Z]{7}$/, 'must be a system identity (* and 7 of [0-9A-Z])')
    .default('*MY3DATA'),
  // `info` requests answered per identity per hour (in memory, per instance)
  DATA_EXPORT_PER_IDENTITY_PER_HOUR: positiveInt().default(10),
  // delay before the bot logs in again after its connection dropped or a login failed
  DATA_EXPORT_RECONNECT_MS: positiveInt().default(2000),
} as const;

export type DataExportConfig = ReturnType<typeof loadDataExportConfig>;

export function loadDataExportConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(dataExportEnv, env);
}

export const DATA_EXPORT_CONFIG = Symbol('DATA_EXPORT_CONFIG');
