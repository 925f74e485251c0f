import { readFileSync } from 'node:fs';

import { z } from 'zod';

// Reusable validators for environment variables. Messages describe the expected shape; values are never echoed
// (a DATABASE_URL carries a password, a key file path is harmless but we keep one rule for all).

export const port = () =>
  z.coerce
    .number({ invalid_type_error: 'must be a TCP port number' })
    .int('must be an integer TCP port')
    .min(1, 'must be a TCP port between 1 and 65535')
    .max(65535, 'must be a TCP port between 1 and 65535');

export const positiveInt = () =>
  z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int('must be an integer')
    .positive('must be > 0');

export const host = () =>
  z
    .string()
    .min(1, 'must not be empty')
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address');

export const url = (protocols: readonly string[]) =>
  z
    .string()
    .min(1, 'must not be empty')
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      `must be a URL with scheme ${protocols.join(' or ')}`,
    );

/** Comma-separated list of URLs, e.g. several NATS seed servers. */
export const urlList = (protocols: readonly string[]) =>
  z
    .string()
    .min(1, 'must not be empty')
    .transform((value) => value.split(',').map((part) => part.trim()))
    .refine(
      (values) =>
        values.every((value) => {
          try {
            return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
          } catch {
            return false;
          }
        }),
      `must be a comma-separated list of URLs with scheme ${protocols.join(' or ')}`,
    );

/** `host:port` of a gRPC peer. */
export const hostPort = () =>
  z.string().refine((value) => {
    const match = /^[A-Za-z0-9.-]+:(\d{1,5})$/.exec(value);
    const portNumber = Number(match?.[1]);
    return match !== null && portNumber >= 1 && portNumber <= 65535;
  }, 'must be host:port with a port between 1 and 65535');

export const logLevel = () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** A site name: lower-case letters, digits and dashes (it becomes a log field and a metric label). */
export const siteName = () =>
  z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits and dashes (max 31)');

export const booleanFlag = () =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      errorMap: () => ({ message: 'must be true or false' }),
    })
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * A file holding a 32-byte secret key as 64 hex characters (from a mounted Kubernetes Secret or a local data
 * folder). The key is read at boot; it is never part of the image or the environment itself.
 */
export const secretKeyFile = (byteLength = 32) =>
  z
    .string()
    .min(1, 'must be a file path')
    .transform((path, ctx) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8').trim();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `cannot read the key file (${code})` });
        return z.NEVER;
      }
      if (!new RegExp(`^[0-9a-fA-F]{${String(byteLength * 2)}}$`).test(text)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `the key file must contain ${String(byteLength)} bytes as ${String(byteLength * 2)} hex characters`,
        });
        return z.NEVER;
      }
      return new Uint8Array(Buffer.from(text, 'hex'));
    });
