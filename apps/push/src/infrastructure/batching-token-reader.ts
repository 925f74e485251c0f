import type { StoredPushToken } from '@ots/push-db';
import { TickBatcher } from '@ots/service-kit';

export interface BulkTokenSource {
  listByIdentities(identities: readonly string[]): Promise<Map<string, StoredPushToken[]>>;
}

const MAX_BATCH = 500;

/**
 * Coalesces the token look-ups of concurrent wake-ups into one query per batch (up to 500 identities, collected
 * until the event loop turns), so the database is not the limit of the wake-up rate.
 */
export class BatchingTokenReader {
  private readonly reads: TickBatcher<string, StoredPushToken[]>;

  constructor(source: BulkTokenSource) {
    this.reads = new TickBatcher(
      (identities) => source.listByIdentities(identities),
      MAX_BATCH,
      () => [],
    );
  }

  listByIdentity(identity: string): Promise<StoredPushToken[]> {
    return this.reads.get(identity);
  }
}
