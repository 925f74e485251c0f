import { commonEnv, hostPort, httpPortEnv, loadConfig } from '@ots/config';

export const dataExportEnv = {
  ...commonEnv,
  ...httpPortEnv(8105),
  DIRECTORY_GRPC_URL: hostPort(),
} as const;

export type DataExportConfig = ReturnType<typeof loadDataExportConfig>;

export function loadDataExportConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(dataExportEnv, env);
}

export const DATA_EXPORT_CONFIG = Symbol('DATA_EXPORT_CONFIG');
