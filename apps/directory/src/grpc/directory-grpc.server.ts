import { type sendUnaryData, type ServerUnaryCall, status } from '@grpc/grpc-js';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { directoryV1 } from '@ots/contracts';
import { type IdentityRecord, IdentityStateCode, IdentityTypeCode } from '@ots/directory-db';
import { GrpcServerHost } from '@ots/service-kit';

import { DIRECTORY_CONFIG, type DirectoryConfig } from '../config';
import { GetIdentitiesUseCase } from '../domain/get-identities/get-identities.usecase';
import { toGrpcError } from './grpc-error.mapper';

const STATE: Record<IdentityStateCode, directoryV1.IdentityState> = {
  [IdentityStateCode.Active]: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
  [IdentityStateCode.Inactive]: directoryV1.IdentityState.IDENTITY_STATE_INACTIVE,
  [IdentityStateCode.Revoked]: directoryV1.IdentityState.IDENTITY_STATE_REVOKED,
};

const TYPE: Record<IdentityTypeCode, directoryV1.IdentityType> = {
  [IdentityTypeCode.Regular]: directoryV1.IdentityType.IDENTITY_TYPE_REGULAR,
  [IdentityTypeCode.Work]: directoryV1.IdentityType.IDENTITY_TYPE_WORK,
};

export function toContractIdentity(record: IdentityRecord): directoryV1.Identity {
  return {
    identity: record.id,
    publicKey: Buffer.from(record.publicKey),
    state: STATE[record.state],
    type: TYPE[record.type],
    featureMask: record.featureMask,
    serverGroup: record.serverGroup,
  };
}

/** gRPC adapter for directory.v1: decode, call one use case, encode. */
@Injectable()
export class DirectoryGrpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DirectoryGrpc');
  private readonly host: GrpcServerHost;

  constructor(
    @Inject(DIRECTORY_CONFIG) private readonly config: DirectoryConfig,
    private readonly getIdentities: GetIdentitiesUseCase,
  ) {
    const implementation: directoryV1.DirectoryServiceServer = {
      getIdentities: (call, callback) => {
        void this.handleGetIdentities(call, callback);
      },
      // Contract added ahead of the implementation (issue 3); until then callers get UNIMPLEMENTED.
      recordLogins: (_call, callback) => {
        callback({ code: status.UNIMPLEMENTED, details: 'RecordLogins is not implemented yet' });
      },
      getInventory: (_call, callback) => {
        callback({ code: status.UNIMPLEMENTED, details: 'GetInventory is not implemented yet' });
      },
      streamLinkedHashes: (call) => {
        call.destroy(
          Object.assign(new Error('StreamLinkedHashes is not implemented yet'), {
            code: status.UNIMPLEMENTED,
          }),
        );
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
}
