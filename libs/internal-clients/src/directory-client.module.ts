import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { directoryV1 } from '@ots/contracts';
import { ReadinessRegistry } from '@ots/observability';
import { createGrpcClient, grpcChannelReady } from '@ots/service-kit';

/** Injection token for the typed directory.v1 client. */
export const DIRECTORY_CLIENT = Symbol('DIRECTORY_CLIENT');

export type DirectoryClient = directoryV1.DirectoryServiceClient;

@Injectable()
class DirectoryClientLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DIRECTORY_CLIENT) private readonly client: DirectoryClient) {}

  onApplicationShutdown(): void {
    this.client.close();
  }
}

/** A directory.v1 gRPC client (round-robin over the directory's addresses) whose channel gates readiness. */
@Module({})
export class DirectoryClientModule {
  static forRoot(hostPort: string): DynamicModule {
    return {
      module: DirectoryClientModule,
      global: true,
      providers: [
        {
          provide: DIRECTORY_CLIENT,
          inject: [ReadinessRegistry],
          useFactory: (readiness: ReadinessRegistry): DirectoryClient => {
            const client = createGrpcClient(directoryV1.DirectoryServiceClient, hostPort);
            readiness.register('directory-grpc', () => grpcChannelReady(client));
            return client;
          },
        },
        DirectoryClientLifecycle,
      ],
      exports: [DIRECTORY_CLIENT],
    };
  }
}
