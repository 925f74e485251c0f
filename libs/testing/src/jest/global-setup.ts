/*
 * Jest globalSetup for integration tests. Wire it in a project's jest.int.config.js together with global-teardown.ts:
 *   globalSetup: '<rootDir>/../../libs/testing/src/jest/global-setup.ts',
 *   globalTeardown: '<rootDir>/../../libs/testing/src/jest/global-teardown.ts',
 * Test files then read TEST_DATABASE_URL and TEST_NATS_URL (or call sharedInfrastructureUrls() from @ots/testing).
 * Relative imports only: Jest's moduleNameMapper does not apply to global setup modules.
 */
import { startSharedInfrastructure } from './shared-infrastructure';

export default async function globalSetup(): Promise<void> {
  await startSharedInfrastructure();
}
