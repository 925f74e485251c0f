import type { IdentityRecord } from '@ots/directory-db';

import type { IdentityLookup } from '../domain/get-identities/get-identities.usecase';

/** Most IDs one coalesced query asks for; larger batches are split. */
export const MAX_IDS_PER_QUERY = 5000;

interface Waiting {
  readonly ids: readonly string[];
  resolve(records: IdentityRecord[]): void;
  reject(error: unknown): void;
}

/**
 * Coalesces the look-ups that arrive within one turn of the event loop into one query (`id = ANY(…)`), then hands
 * each caller its own records. Under load this turns dozens of single-ID round trips into one, which is what the
 * look-up throughput of `npm run bench:directory` hinges on; a lone request waits for nothing but one setImmediate.
 */
export class BatchingIdentityLookup implements IdentityLookup {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly inner: IdentityLookup) {}

  findByIds(ids: readonly string[]): Promise<IdentityRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ ids, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          void this.flush();
        });
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    const unique = [...new Set(batch.flatMap((waiting) => waiting.ids))];
    try {
      const chunks: string[][] = [];
      for (let i = 0; i < unique.length; i += MAX_IDS_PER_QUERY)
        chunks.push(unique.slice(i, i + MAX_IDS_PER_QUERY));
      const found = (await Promise.all(chunks.map((chunk) => this.inner.findByIds(chunk)))).flat();
      const byId = new Map(found.map((record) => [record.id, record]));
      for (const waiting of batch) {
        waiting.resolve([...new Set(waiting.ids)].flatMap((id) => byId.get(id) ?? []));
      }
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
