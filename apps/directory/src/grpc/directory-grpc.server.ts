import { once } from 'node:events';

import { type sendUnaryData, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { directoryV1 } from '@ots/contracts';
import { GrpcServerHost } from '@ots/service-kit';

import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config';
import { GetIdentitiesUseCase } from '../domain/get-identities/get-identities.usecase';
import { GetInventoryUseCase } from '../domain/get-inventory/get-inventory.usecase';
import { RecordLoginsUseCase } from '../domain/record-logins/record-logins.usecase';
import { StreamIdentitiesUseCase } from '../domain/stream-identities/stream-identities.usecase';
import { StreamLinkedHashesUseCase } from '../domain/stream-linked-hashes/stream-linked-hashes.usecase';
import { toContractIdentity, toContractInventory, toContractLinkedHash } from './contract-mapping';
import { toGrpcError } from './grpc-error.mapper';

/** gRPC adapter for directory.v1: decode, call one use case, encode. */
@Injectable()
export class DirectoryGrpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DirectoryGrpc');
  private readonly host: GrpcServerHost;

  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly getIdentities: GetIdentitiesUseCase,
    private readonly recordLogins: RecordLoginsUseCase,
    private readonly getInventory: GetInventoryUseCase,
    private readonly streamLinkedHashes: StreamLinkedHashesUseCase,
    private readonly streamIdentities: StreamIdentitiesUseCase,
  ) {
    const implementation: directoryV1.DirectoryServiceServer = {
      getIdentities: (call, callback) => {
        void this.handleGetIdentities(call, callback);
      },
      recordLogins: (call, callback) => {
        void this.handleRecordLogins(call, callback);
      },
      getInventory: (call, callback) => {
        void this.handleGetInventory(call, callback);
      },
      streamLinkedHashes: (call) => {
        void this.writeStream(call, this.linkedHashResponses(call.request));
      },
      streamIdentities: (call) => {
        void this.writeStream(call, this.identityResponses(call.request));
      },
    };
    this.host = new GrpcServerHost(config.GRPC_HOST, config.GRPC_PORT, [
      { definition: directoryV1.DirectoryServiceService, implementation },
    ]);
  }

  get listeningPort(): number | undefined {
    return this.host.listeningPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = await this.host.start();
    this.logger.log({ msg: 'directory.v1 gRPC listening', grpcPort: port });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.host.stop(this.config.SHUTDOWN_GRACE_MS);
  }

  private async handleGetIdentities(
    call: ServerUnaryCall<directoryV1.GetIdentitiesRequest, directoryV1.GetIdentitiesResponse>,
    callback: sendUnaryData<directoryV1.GetIdentitiesResponse>,
  ): Promise<void> {
    try {
      const result = await this.getIdentities.execute(call.request.identities);
      callback(null, { identities: result.found.map(toContractIdentity), unknown: [...result.unknown] });
    } catch (error) {
      callback(toGrpcError(error, this.logger));
    }
  }

  private async handleRecordLogins(
    call: ServerUnaryCall<directoryV1.RecordLoginsRequest, directoryV1.RecordLoginsResponse>,
    callback: sendUnaryData<directoryV1.RecordLoginsResponse>,
  ): Promise<void> {
    try {
      const updated = await this.recordLogins.execute(
        call.request.logins.map((login) => ({ identity: login.identity, loginTimeMs: login.loginTimeMs })),
      );
      callback(null, { updated });
    } catch (error) {
      callback(toGrpcError(error, this.logger));
    }
  }

  private async handleGetInventory(
    call: ServerUnaryCall<directoryV1.GetInventoryRequest, directoryV1.GetInventoryResponse>,
    callback: sendUnaryData<directoryV1.GetInventoryResponse>,
  ): Promise<void> {
    try {
      callback(null, toContractInventory(await this.getInventory.execute(call.request.identity)));
    } catch (error) {
      callback(toGrpcError(error, this.logger));
    }
  }

  private async *linkedHashResponses(
    request: directoryV1.StreamLinkedHashesRequest,
  ): AsyncGenerator<directoryV1.StreamLinkedHashesResponse> {
    const batchSize = this.streamLinkedHashes.batchSizeFor(request.batchSize);
    for await (const batch of this.streamLinkedHashes.batches(batchSize)) {
      yield { entries: batch.map(toContractLinkedHash) };
    }
  }

  private async *identityResponses(
    request: directoryV1.StreamIdentitiesRequest,
  ): AsyncGenerator<directoryV1.StreamIdentitiesResponse> {
    const batchSize = this.streamIdentities.batchSizeFor(request.batchSize);
    for await (const batch of this.streamIdentities.batches(batchSize)) {
      yield { identities: batch.map(toContractIdentity) };
    }
  }

  /**
   * Writes the responses of a server stream, then ends it. The generators run lazily inside the loop, so a
   * refused request (batch_size) and a failed read both end the call with a mapped status; leaving the loop when
   * the client cancels returns the generators, which stops the walk.
   */
  private async writeStream<TRequest, TResponse>(
    call: ServerWritableStream<TRequest, TResponse>,
    responses: AsyncGenerator<TResponse>,
  ): Promise<void> {
    try {
      for await (const response of responses) {
        if (call.cancelled) return;
        // respect the client's flow control: wait for the buffer to drain before reading the next page
        if (!call.write(response)) {
          await Promise.race([once(call, 'drain'), once(call, 'cancelled')]);
        }
      }
      call.end();
    } catch (error) {
      // grpc-js turns an 'error' event on a server stream into the call's final status
      call.emit('error', toGrpcError(error, this.logger));
    }
  }
}
