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
export { type NatsOptions, startNats, type TestNats } from './nats/start-nats';
export { freePort, freePorts } from './ports/free-port';
export { createDatabase } from './postgres/create-database';
export { type PostgresOptions, startPostgres, type TestPostgres } from './postgres/start-postgres';
export {
  type BuiltServiceProcess,
  jsonLines,
  type Service,
  SERVICES,
  spawnBuiltService,
} from './process/built-service';
export { cleanupRegistry,type CleanupTarget } from './process/cleanup-registry';
export { waitFor, type WaitForOptions, WaitForTimeoutError } from './wait/wait-for';
