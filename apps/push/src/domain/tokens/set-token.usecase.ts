import { TokenSlotCode } from '@ots/push-db';

import { PushError, PushErrorCode } from '../push-error';
import { parsePushTarget } from './push-target';
import type { TokenStore } from './token-store';
import { requireDeviceId, requireIdentity } from './validation';

export interface SetTokenCommand {
  readonly identity: string;
  readonly deviceId: bigint;
  readonly slot: TokenSlotCode;
  readonly tokenType: number;
  readonly token: Uint8Array;
}

/** CSP 0x20 / 0x24 forwarded by the mailbox (spec §7.1): store the token of one slot, or clear it (type 0x00). */
export class SetTokenUseCase {
  constructor(
    private readonly tokens: TokenStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async execute(command: SetTokenCommand): Promise<{ cleared: boolean }> {
    requireIdentity(command.identity);
    requireDeviceId(command.deviceId);
    if (!Object.values(TokenSlotCode).includes(command.slot)) {
      throw new PushError(PushErrorCode.InvalidSlot, 'slot must be REGULAR or VOIP');
    }
    const target = parsePushTarget(command.tokenType, command.token);
    if (!target) {
      await this.tokens.clearSlot(command.identity, command.deviceId, command.slot);
      return { cleared: true };
    }
    await this.tokens.upsert({
      identity: command.identity,
      deviceId: command.deviceId,
      slot: command.slot,
      tokenType: command.tokenType,
      token: command.token,
      ownPushId: target.provider === 'ownpush' ? target.pushId : null,
      setAt: this.now(),
    });
    return { cleared: false };
  }
}
