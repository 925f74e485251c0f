import type { StoredPushToken } from '@ots/push-db';

export interface BulkTokenSource {
  listByIdentities(identities: readonly string[]): Promise<Map<string, StoredPushToken[]>>;
}

const MAX_BATCH = 500;

/**
 * Coalesces the token look-ups of concurrent wake-ups into one query per batch (up to 500 identities, collected
 * until the event loop turns), so the database is not the limit of the wake-up rate.
 */
export class BatchingTokenReader {
  private batch: {
    identity: string;
    resolve: (tokens: StoredPushToken[]) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private scheduled = false;

  constructor(private readonly source: BulkTokenSource) {}

  listByIdentity(identity: string): Promise<StoredPushToken[]> {
    return new Promise((resolve, reject) => {
      this.batch.push({ identity, resolve, reject });
      if (this.batch.length >= MAX_BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    this.source.listByIdentities(batch.map((entry) => entry.identity)).then(
      (byIdentity) => {
        for (const entry of batch) entry.resolve(byIdentity.get(entry.identity) ?? []);
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  }
}
