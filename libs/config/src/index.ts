export { commonEnv, httpPortEnv } from './common-env';
export { ConfigError } from './config-error';
export {
  booleanFlag,
  host,
  hostPort,
  logLevel,
  port,
  positiveInt,
  secretKeyFile,
  siteName,
  url,
  urlList,
} from './env-types';
export { type Env, loadConfig } from './load-config';
export { PUBLIC_ROUTES, type PublicRoute, routePublicPath } from './public-routes';
