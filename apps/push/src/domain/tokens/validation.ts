import { isThreemaId } from '@ots/protocol';

import { PushError, PushErrorCode } from '../push-error';

export function requireIdentity(identity: string): void {
  if (!isThreemaId(identity)) {
    throw new PushError(
      PushErrorCode.InvalidIdentity,
      'identity must be 8 characters [0-9A-Z], the first may be *',
    );
  }
}

const U64_MAX = 0xffffffffffffffffn;

export function requireDeviceId(deviceId: bigint, field = 'device_id'): void {
  if (deviceId < 0n || deviceId > U64_MAX) {
    throw new PushError(PushErrorCode.InvalidToken, `${field} must be an unsigned 64-bit integer`);
  }
}
