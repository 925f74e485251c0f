export {
  type HttpSettings,
  type RunningService,
  runService,
  type ServiceDefinition,
  type ServiceRuntime,
  startService,
} from './bootstrap';
export { createGrpcClient, grpcChannelReady, type GrpcClientConstructor } from './grpc-client';
export { domainGrpcError, unexpectedGrpcError } from './grpc-errors';
export { GrpcServerHost, type GrpcServiceBinding } from './grpc-server';
export { NatsModule } from './nats.module';
export { NatsClient, type NatsSettings } from './nats-client';
export { ensurePushWakeUpStream, isNotFound } from './push-wakeup-stream';
export { type CoreSettings, serviceCoreModules } from './service-core.module';
export { TickBatcher } from './tick-batcher';
export { UnexpectedErrorFilter } from './unexpected-error.filter';
export { resolveVersion } from './version';
