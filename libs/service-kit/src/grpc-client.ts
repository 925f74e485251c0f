import { type ChannelOptions, type Client, connectivityState, credentials } from '@grpc/grpc-js';
import { NotReadyError } from '@ots/observability';

export type GrpcClientConstructor<T extends Client> = new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
  options?: Partial<ChannelOptions>,
) => T;

/**
 * Client for an internal gRPC peer. `dns:///` plus round_robin spreads calls over every address of a headless
 * Kubernetes Service instead of pinning one pod for the connection's lifetime.
 */
export function createGrpcClient<T extends Client>(ctor: GrpcClientConstructor<T>, hostPort: string): T {
  return new ctor(`dns:///${hostPort}`, credentials.createInsecure(), {
    'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.enable_retries': 1,
    // channelz (grpc-js's call and socket counters for its debug service) is not served here; our metrics count calls
    'grpc.enable_channelz': 0,
  });
}

/** Readiness: the channel can connect within the deadline. */
export async function grpcChannelReady(client: Client, timeoutMs = 1_500): Promise<void> {
  const channel = client.getChannel();
  if (channel.getConnectivityState(true) === connectivityState.READY) return;
  await new Promise<void>((resolve, reject) => {
    client.waitForReady(Date.now() + timeoutMs, (error) => {
      if (error) reject(new NotReadyError(`gRPC peer not reachable: ${error.message}`));
      else resolve();
    });
  });
}
