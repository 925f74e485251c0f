import { Metadata } from '@grpc/grpc-js';
import { pushV1 } from '@ots/contracts';

import type { PushTokenRegistry } from '../domain/ports';

const DEADLINE_MS = 5_000;

/** CSP payloads 0x20/0x24/0x25 forwarded to the push service (push.v1), which owns the tokens. */
export class GrpcPushTokenRegistry implements PushTokenRegistry {
  constructor(private readonly client: pushV1.PushServiceClient) {}

  setToken(
    identity: string,
    deviceId: bigint,
    voip: boolean,
    tokenType: number,
    token: Uint8Array,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.setToken(
        {
          identity,
          deviceId,
          slot: voip ? pushV1.TokenSlot.TOKEN_SLOT_VOIP : pushV1.TokenSlot.TOKEN_SLOT_REGULAR,
          tokenType,
          token: Buffer.from(token),
        },
        new Metadata(),
        { deadline: new Date(Date.now() + DEADLINE_MS) },
        (error) => {
          if (error) reject(error);
          else resolve();
        },
      );
    });
  }

  deleteTokens(identity: string, deviceIds: readonly bigint[], requestingDeviceId: bigint): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.deleteTokens(
        { identity, deviceIds: [...deviceIds], requestingDeviceId },
        new Metadata(),
        { deadline: new Date(Date.now() + DEADLINE_MS) },
        (error) => {
          if (error) reject(error);
          else resolve();
        },
      );
    });
  }
}
