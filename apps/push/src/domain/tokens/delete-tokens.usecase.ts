import type { TokenStore } from './token-store';
import { requireDeviceId, requireIdentity } from './validation';

export interface DeleteTokensCommand {
  readonly identity: string;
  readonly deviceIds: readonly bigint[];
  readonly requestingDeviceId: bigint;
}

/** CSP 0x25 (spec §1.6): delete the listed devices' tokens; an empty list means every device but the sender. */
export class DeleteTokensUseCase {
  constructor(private readonly tokens: TokenStore) {}

  async execute(command: DeleteTokensCommand): Promise<{ deleted: number }> {
    requireIdentity(command.identity);
    requireDeviceId(command.requestingDeviceId, 'requesting_device_id');
    for (const deviceId of command.deviceIds) requireDeviceId(deviceId, 'device_ids');
    const deleted =
      command.deviceIds.length === 0
        ? await this.tokens.deleteAllDevicesExcept(command.identity, command.requestingDeviceId)
        : await this.tokens.deleteDevices(command.identity, command.deviceIds);
    return { deleted };
  }
}
