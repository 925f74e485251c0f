import { commonEnv, host, httpPortEnv, loadConfig, port, url } from '@ots/config';

export const directoryEnv = {
  ...commonEnv,
  ...httpPortEnv(8101),
  DATABASE_URL: url(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: port().default(10),
  GRPC_HOST: host().default('0.0.0.0'),
  GRPC_PORT: port().default(9101),
} as const;

export type DirectoryConfig = ReturnType<typeof loadDirectoryConfig>;

export function loadDirectoryConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(directoryEnv, env);
}

export const DIRECTORY_CONFIG = Symbol('DIRECTORY_CONFIG');
