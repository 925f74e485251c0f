import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { pushV1 } from '@ots/contracts';
import { type StoredPushToken, TokenSlotCode } from '@ots/push-db';
import { GrpcServerHost } from '@ots/service-kit';

import { PUSH_CONFIG, type PushConfig } from '../config';
import { PushError, PushErrorCode } from '../domain/push-error';
import { DeleteTokensUseCase } from '../domain/tokens/delete-tokens.usecase';
import { ListTokensUseCase } from '../domain/tokens/list-tokens.usecase';
import { SetTokenUseCase } from '../domain/tokens/set-token.usecase';
import { toGrpcError } from './grpc-error.mapper';

function slotFromContract(slot: pushV1.TokenSlot): TokenSlotCode {
  switch (slot) {
    case pushV1.TokenSlot.TOKEN_SLOT_REGULAR:
      return TokenSlotCode.Regular;
    case pushV1.TokenSlot.TOKEN_SLOT_VOIP:
      return TokenSlotCode.Voip;
    default:
      throw new PushError(PushErrorCode.InvalidSlot, 'slot must be TOKEN_SLOT_REGULAR or TOKEN_SLOT_VOIP');
  }
}

function toStoredToken(token: StoredPushToken | undefined): pushV1.StoredToken | undefined {
  if (!token) return undefined;
  return {
    tokenType: token.tokenType,
    data: Buffer.from(token.token),
    setAtMs: BigInt(token.setAt.getTime()),
  };
}

/** The devices of one identity with their regular and VoIP slots, in device order. */
export function toDeviceTokens(tokens: readonly StoredPushToken[]): pushV1.DeviceTokens[] {
  const devices = new Map<bigint, { regular?: StoredPushToken; voip?: StoredPushToken }>();
  for (const token of tokens) {
    const device = devices.get(token.deviceId) ?? {};
    if (token.slot === TokenSlotCode.Voip) device.voip = token;
    else device.regular = token;
    devices.set(token.deviceId, device);
  }
  return [...devices].map(([deviceId, slots]) => ({
    deviceId,
    pushToken: toStoredToken(slots.regular),
    voipToken: toStoredToken(slots.voip),
  }));
}

/** gRPC adapter for push.v1: decode, call one use case, encode. */
@Injectable()
export class PushGrpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PushGrpc');
  private readonly host: GrpcServerHost;

  constructor(
    @Inject(PUSH_CONFIG) private readonly config: PushConfig,
    private readonly setToken: SetTokenUseCase,
    private readonly deleteTokens: DeleteTokensUseCase,
    private readonly listTokens: ListTokensUseCase,
  ) {
    const implementation: pushV1.PushServiceServer = {
      setToken: (call, callback) => {
        void this.handle(call, callback, async (request) => {
          await this.setToken.execute({
            identity: request.identity,
            deviceId: request.deviceId,
            slot: slotFromContract(request.slot),
            tokenType: request.tokenType,
            token: new Uint8Array(request.token),
          });
          return {};
        });
      },
      deleteTokens: (call, callback) => {
        void this.handle(call, callback, async (request) =>
          this.deleteTokens.execute({
            identity: request.identity,
            deviceIds: request.deviceIds,
            requestingDeviceId: request.requestingDeviceId,
          }),
        );
      },
      listTokens: (call, callback) => {
        void this.handle(call, callback, async (request) => ({
          devices: toDeviceTokens(await this.listTokens.execute(request.identity)),
        }));
      },
    };
    this.host = new GrpcServerHost(config.GRPC_HOST, config.GRPC_PORT, [
      { definition: pushV1.PushServiceService, implementation },
    ]);
  }

  get listeningPort(): number | undefined {
    return this.host.listeningPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = await this.host.start();
    this.logger.log({ msg: 'push.v1 gRPC listening', grpcPort: port });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.host.stop(this.config.SHUTDOWN_GRACE_MS);
  }

  private async handle<Request, Response>(
    call: ServerUnaryCall<Request, Response>,
    callback: sendUnaryData<Response>,
    run: (request: Request) => Promise<Response>,
  ): Promise<void> {
    try {
      callback(null, await run(call.request));
    } catch (error) {
      callback(toGrpcError(error, this.logger));
    }
  }
}
