import { booleanFlag, commonEnv, host, httpPortEnv, loadConfig, port, positiveInt, url } from '@ots/config';
import { z } from 'zod';

import { parseSystemIdentities } from './domain/system-identities/system-identities';

export const directoryEnv = {
  ...commonEnv,
  ...httpPortEnv(8101),
  DATABASE_URL: url(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: port().default(10),
  GRPC_HOST: host().default('0.0.0.0'),
  GRPC_PORT: port().default(9101),
  // spec §4.3 identity/create: the serverGroup new identities get, two lower-case hex digits
  DIRECTORY_SERVER_GROUP: z
    .string()
    .regex(/^[0-9a-f]{2}$/, 'must be two lower-case hex digits')
    .default('00'),
  // spec §4.3 identity/check: how often clients should check their contacts again (seconds)
  DIRECTORY_CHECK_INTERVAL_S: positiveInt().default(86_400),
  // abuse limits, counted in memory only (architecture: no IP address is stored)
  DIRECTORY_CREATE_PER_SOURCE_PER_HOUR: positiveInt().default(30),
  DIRECTORY_LOOKUPS_PER_SOURCE_PER_MINUTE: positiveInt().default(5_000),
  DIRECTORY_SIGNED_PER_IDENTITY_PER_MINUTE: positiveInt().default(30),
  // public base URL of the directory API (ends with /): e-mail verification links point below it
  DIRECTORY_PUBLIC_URL: url(['http', 'https'])
    .refine((value) => value.endsWith('/'), 'must end with /')
    .optional(),
  // e-mail verification (spec §4.3 identity/link_email): without a host, e-mail linking answers 503
  DIRECTORY_SMTP_HOST: host().optional(),
  DIRECTORY_SMTP_PORT: port().default(587),
  DIRECTORY_SMTP_SECURE: booleanFlag().default('false'),
  DIRECTORY_SMTP_FROM: z
    .string()
    .regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an e-mail address')
    .default('noreply@localhost'),
  DIRECTORY_EMAIL_VERIFICATION_TTL_S: positiveInt().default(86_400),
  // phone verification (spec §4.3 identity/link_mobileno): HTTP SMS gateway; without a URL phone linking answers 503
  DIRECTORY_SMS_GATEWAY_URL: url(['http', 'https']).optional(),
  DIRECTORY_SMS_GATEWAY_AUTHORIZATION: z.string().min(1, 'must not be empty').optional(),
  DIRECTORY_SMS_VERIFICATION_TTL_S: positiveInt().default(900),
  // system identities (docs/adr/0018-system-identities.md): `<*ID>:<base64 X25519 public key>`, comma-separated,
  // registered (or their key replaced) at start, e.g. *MY3DATA for the data export
  DIRECTORY_SYSTEM_IDENTITIES: z
    .string()
    .default('')
    .transform((value, ctx) => {
      try {
        return parseSystemIdentities(value);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
        return z.NEVER;
      }
    }),
} as const;

export type DirectoryConfig = ReturnType<typeof loadDirectoryConfig>;

export function loadDirectoryConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(directoryEnv, env);
}

export const DIRECTORY_CONFIG = Symbol('DIRECTORY_CONFIG');
