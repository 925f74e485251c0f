import {
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';

export interface GrpcServiceBinding {
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

/** A grpc-js server for the internal contracts (proto/). Internal traffic only: plaintext inside the cluster. */
export class GrpcServerHost {
  private server: Server | undefined;
  private boundPort: number | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly bindings: readonly GrpcServiceBinding[],
  ) {}

  /** The bound port (useful when configured with port 0). */
  get listeningPort(): number | undefined {
    return this.boundPort;
  }

  async start(): Promise<number> {
    const server = new Server({
      'grpc.max_receive_message_length': 4 * 1024 * 1024,
      // no channelz debug service is served, so its per-call and per-session bookkeeping is only cost
      'grpc.enable_channelz': 0,
    });
    for (const binding of this.bindings) server.addService(binding.definition, binding.implementation);
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(
        `${this.host}:${String(this.port)}`,
        ServerCredentials.createInsecure(),
        (error, port) => {
          if (error) reject(error);
          else resolve(port);
        },
      );
    });
    this.server = server;
    return this.boundPort;
  }

  /** Finish in-flight calls, then force-close after the grace period. */
  async stop(graceMs: number): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
