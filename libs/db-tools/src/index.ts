export { MigrationError, type MigrationOptions, runMigrations } from './run-migrations';
export { SERVICE_DATABASES, type ServiceDatabase } from './service-databases';
export { findWorkspaceRoot } from './workspace-root';
