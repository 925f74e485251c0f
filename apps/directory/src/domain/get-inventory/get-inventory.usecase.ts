import type { IdentityRecord } from '@ots/directory-db';

import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import { isIdentityId } from '../identity-id';
import type { PendingLinkSummary } from '../linked-hash';

/** Everything the directory stores about one identity: what the *MY3DATA export shows (spec §8.1). */
export interface IdentityInventory {
  readonly identity: IdentityRecord;
  readonly emailHash: Uint8Array | null;
  readonly mobileNoHash: Uint8Array | null;
  /** When a revocation key was last set; null when none is set. The key itself is never shown. */
  readonly revocationKeyChangedAt: Date | null;
  readonly pendingLinks: readonly PendingLinkSummary[];
}

export interface InventoryReader {
  findInventory(id: string): Promise<IdentityInventory | undefined>;
}

/** directory.v1 GetInventory: the per-identity data of the export; unknown identities are not found. */
export class GetInventoryUseCase {
  constructor(private readonly inventories: InventoryReader) {}

  async execute(id: string): Promise<IdentityInventory> {
    if (!isIdentityId(id)) {
      throw new DirectoryError(DirectoryErrorCode.InvalidIdentity, 'identity must be 8 characters [0-9A-Z*]');
    }
    const inventory = await this.inventories.findInventory(id);
    if (inventory === undefined) {
      throw new DirectoryError(DirectoryErrorCode.IdentityNotFound, 'identity not found');
    }
    return inventory;
  }
}
