import { commonEnv, httpPortEnv, loadConfig } from '@ots/config';

export const pushEnv = {
  ...commonEnv,
  ...httpPortEnv(8103),
} as const;

export type PushConfig = ReturnType<typeof loadPushConfig>;

export function loadPushConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(pushEnv, env);
}

export const PUSH_CONFIG = Symbol('PUSH_CONFIG');
