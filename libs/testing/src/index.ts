// Real infrastructure for tests: throw-away PostgreSQL and NATS on free loopback ports, stopped without leftovers.
export { configProblems, describeCommonServiceConfig, temporaryKeyFile } from './config/service-config-kit';
export { httpGet, type HttpGetResult } from './http/http-get';
export {
  type SharedInfrastructure,
  sharedInfrastructureUrls,
  startSharedInfrastructure,
  stopSharedInfrastructure,
  TEST_DATABASE_URL,
  TEST_NATS_URL,
} from './jest/shared-infrastructure';
export { findNatsServer } from './nats/nats-binary';
export { isNatsHealthy } from './nats/nats-health';
export { type NatsOptions, startNats, type TestNats } from './nats/start-nats';
export { startTcpRelay, type TcpRelay } from './net/tcp-relay';
export { freePort, freePorts } from './ports/free-port';
export { createDatabase } from './postgres/create-database';
export { initCluster } from './postgres/init-cluster';
export { launchPostgres } from './postgres/launch-postgres';
export { postgresBinaries } from './postgres/postgres-binaries';
export { postgresEnv } from './postgres/postgres-env';
export { postgresOsUser } from './postgres/postgres-os-user';
export { postgresUrl } from './postgres/postgres-url';
export { type PostgresOptions, startPostgres, type TestPostgres } from './postgres/start-postgres';
export {
  type BuiltServiceProcess,
  jsonLines,
  type Service,
  SERVICES,
  spawnBuiltService,
  waitForBuiltServiceReady,
} from './process/built-service';
export { cleanupRegistry, type CleanupTarget } from './process/cleanup-registry';
export { type OsUser, ServerProcess } from './process/server-process';
export { ServerResource } from './process/server-resource';
export { waitFor, type WaitForOptions, WaitForTimeoutError } from './wait/wait-for';
