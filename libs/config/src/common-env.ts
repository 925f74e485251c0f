import { host, logLevel, port, positiveInt, siteName, urlList } from './env-types';

/** Variables every service reads. */
export const commonEnv = {
  OTS_SITE: siteName().default('local'),
  LOG_LEVEL: logLevel().default('info'),
  HTTP_HOST: host().default('0.0.0.0'),
  NATS_URL: urlList(['nats', 'tls']),
  SHUTDOWN_GRACE_MS: positiveInt().default(10_000),
} as const;

export const httpPortEnv = (defaultPort: number) => ({ HTTP_PORT: port().default(defaultPort) }) as const;
