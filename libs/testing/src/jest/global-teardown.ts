/* Jest globalTeardown paired with global-setup.ts: stops the shared PostgreSQL and NATS and removes their dirs. */
import { stopSharedInfrastructure } from './shared-infrastructure';

export default async function globalTeardown(): Promise<void> {
  await stopSharedInfrastructure();
}
