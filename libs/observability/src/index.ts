export { HealthController } from './health.controller';
export {
  createLogger,
  type Logger,
  loggerOptions,
  type LoggerSettings,
  type ServiceIdentity,
} from './logger';
export { MetricsRegistry } from './metrics';
export { MetricsController } from './metrics.controller';
export { ObservabilityModule } from './observability.module';
export { NotReadyError, type ReadinessCheck, ReadinessRegistry, type ReadinessReport } from './readiness';
export { REDACTED_FIELD_NAMES, REDACTION_CENSOR, redactPaths } from './redaction';
export { ServiceLogger } from './service-logger';
