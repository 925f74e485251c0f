// Privacy rule (architecture.md): logs never carry identity IDs, keys, hashes, message IDs, push tokens, IP
// addresses or secrets. These field names are censored wherever they appear up to three levels deep.
export const REDACTED_FIELD_NAMES = [
  'identity',
  'identities',
  'sender',
  'receiver',
  'publicKey',
  'secretKey',
  'privateKey',
  'key',
  'token',
  'matchToken',
  'pushToken',
  'voipToken',
  'hash',
  'emailHash',
  'mobileNoHash',
  'email',
  'mobileNo',
  'messageId',
  'ip',
  'ipAddress',
  'remoteAddress',
  'remotePort',
  'authorization',
  'cookie',
  'password',
  'secret',
  'response',
  'revocationKey',
  'deviceId',
  'databaseUrl',
] as const;

export const REDACTION_CENSOR = '[redacted]';

/** pino `redact.paths` for every field name at the top level and up to three levels of nesting. */
export function redactPaths(names: readonly string[] = REDACTED_FIELD_NAMES): string[] {
  return names.flatMap((name) => [name, `*.${name}`, `*.*.${name}`, `*.*.*.${name}`]);
}
