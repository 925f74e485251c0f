import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { commonEnv, ConfigError, host, httpPortEnv, loadConfig, port, positiveInt, url } from '@ots/config';
import { z } from 'zod';

/** Reads a mounted secret or credential file at boot; the problem names the variable, never the content. */
const fileContent = () =>
  z
    .string()
    .min(1, 'must be a file path')
    .transform((path, ctx) => {
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `cannot read the file (${code})` });
        return z.NEVER;
      }
    });

export interface FcmServiceAccount {
  readonly projectId: string;
  readonly clientEmail: string;
  readonly privateKey: KeyObject;
  readonly privateKeyId: string | undefined;
  readonly tokenUri: string;
}

const serviceAccountJson = z.object({
  project_id: z.string().min(1),
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
  token_uri: z.string().url(),
});

/** spec push-providers §1.2: the Google service-account JSON (the token URL comes from its token_uri). */
const fcmServiceAccountFile = () =>
  fileContent().transform((text, ctx): FcmServiceAccount => {
    try {
      const parsed = serviceAccountJson.parse(JSON.parse(text));
      return {
        projectId: parsed.project_id,
        clientEmail: parsed.client_email,
        privateKey: createPrivateKey(parsed.private_key),
        privateKeyId: parsed.private_key_id,
        tokenUri: parsed.token_uri,
      };
    } catch {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message:
          'must be a service-account JSON with project_id, client_email, private_key (PEM RSA) and token_uri',
      });
      return z.NEVER;
    }
  });

/** spec push-providers §2.3: the APNs token-auth key (.p8, PEM PKCS#8 P-256). */
const apnsKeyFile = () =>
  fileContent().transform((text, ctx): KeyObject => {
    try {
      const key = createPrivateKey(text);
      if (key.asymmetricKeyType !== 'ec') throw new Error('not EC');
      return key;
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a PEM P-256 private key (.p8)' });
      return z.NEVER;
    }
  });

const appleId = () => z.string().regex(/^[A-Z0-9]{10}$/, 'must be 10 upper-case letters or digits');

export const pushEnv = {
  ...commonEnv,
  ...httpPortEnv(8103),
  DATABASE_URL: url(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: port().default(10),
  GRPC_HOST: host().default('0.0.0.0'),
  GRPC_PORT: port().default(9103),
  // wake-ups in flight at once (each may wait for a provider): bounds memory under a flood
  PUSH_MAX_IN_FLIGHT: positiveInt().default(256),
  // a delivered wake-up not acknowledged within this time is redelivered (e.g. after a crash)
  PUSH_WAKEUP_ACK_WAIT_MS: positiveInt().default(30_000),
  PUSH_PROVIDER_TIMEOUT_MS: positiveInt().default(5_000),
  PUSH_PROVIDER_MAX_IN_FLIGHT: positiveInt().default(128),
  PUSH_RETRY_MAX_ATTEMPTS: positiveInt().default(5),
  PUSH_RETRY_BASE_MS: positiveInt().default(1_000),
  PUSH_RETRY_MAX_MS: positiveInt().default(60_000),
  PUSH_CIRCUIT_FAILURE_THRESHOLD: positiveInt().default(5),
  PUSH_CIRCUIT_OPEN_MS: positiveInt().default(30_000),
  // FCM HTTP v1: enabled when the service account is set
  PUSH_FCM_SERVICE_ACCOUNT_FILE: fcmServiceAccountFile().optional(),
  PUSH_FCM_API_URL: url(['https', 'http']).default('https://fcm.googleapis.com'),
  // APNs token auth: enabled when the key file is set (then key and team ID are required)
  PUSH_APNS_KEY_FILE: apnsKeyFile().optional(),
  PUSH_APNS_KEY_ID: appleId().optional(),
  PUSH_APNS_TEAM_ID: appleId().optional(),
  PUSH_APNS_PRODUCTION_URL: url(['https']).default('https://api.push.apple.com'),
  PUSH_APNS_DEVELOPMENT_URL: url(['https']).default('https://api.sandbox.push.apple.com'),
  // extra CA certificate (PEM) trusted for APNs, e.g. the local fake's; the system CAs stay trusted
  PUSH_APNS_CA_FILE: fileContent().optional(),
  // HMS Push Kit: enabled when the client ID is set (then the secret file is required)
  PUSH_HMS_CLIENT_ID: z
    .string()
    .regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be the HMS client ID')
    .optional(),
  PUSH_HMS_CLIENT_SECRET_FILE: fileContent()
    .transform((text) => text.trim())
    .optional(),
  PUSH_HMS_OAUTH_URL: url(['https', 'http']).default('https://oauth-login.cloud.huawei.com/oauth2/v3/token'),
  PUSH_HMS_API_URL: url(['https', 'http']).default('https://push-api.cloud.huawei.com'),
  // own push WebSocket: server ping interval; silence for interval + 15 s closes the connection
  PUSH_OWNPUSH_KEEPALIVE_S: positiveInt().default(45),
} as const;

export type PushConfig = ReturnType<typeof loadPushConfig>;

export function loadPushConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(pushEnv, env);
  const problems: string[] = [];
  if (config.PUSH_APNS_KEY_FILE) {
    if (!config.PUSH_APNS_KEY_ID)
      problems.push('PUSH_APNS_KEY_ID is required when PUSH_APNS_KEY_FILE is set');
    if (!config.PUSH_APNS_TEAM_ID)
      problems.push('PUSH_APNS_TEAM_ID is required when PUSH_APNS_KEY_FILE is set');
  }
  if (config.PUSH_HMS_CLIENT_ID && !config.PUSH_HMS_CLIENT_SECRET_FILE) {
    problems.push('PUSH_HMS_CLIENT_SECRET_FILE is required when PUSH_HMS_CLIENT_ID is set');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export const PUSH_CONFIG = Symbol('PUSH_CONFIG');
