import { z } from 'zod';

import { ConfigError } from './config-error';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment once at boot. The schema's keys are the variable names, so every problem names the
 * variable. Empty strings count as unset, so `FOO=` falls back to a default or fails as missing.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Env = process.env,
): z.infer<z.ZodObject<Shape>> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const missing = issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined';
        return missing ? `${name} is required but not set` : `${name} ${issue.message}`;
      }),
    );
  }
  return result.data;
}
