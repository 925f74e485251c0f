import type { IdentitySummary } from '../identity-summary';
import { keysetBatches, type KeysetPage, streamBatchSize } from '../keyset-batches';

export interface IdentityReader {
  /**
   * Every identity, revoked ones too, in identity order, after `cursor` (exclusive; undefined = from the start),
   * at most `limit` per page.
   */
  identitiesAfter(cursor: string | undefined, limit: number): Promise<KeysetPage<IdentitySummary>>;
}

/**
 * directory.v1 StreamIdentities: every identity in batches, for the mailbox's replica. Like StreamLinkedHashes a
 * keyset walk, not one snapshot: identities created or revoked during it reach the caller as NATS events
 * (IdentityCreated, IdentityRevoked), which are idempotent (see the proto).
 */
export class StreamIdentitiesUseCase {
  constructor(private readonly reader: IdentityReader) {}

  batchSizeFor(requested: number): number {
    return streamBatchSize(requested);
  }

  /** Batches of at most `batchSize` identities; validate the size with batchSizeFor first. */
  batches(batchSize: number): AsyncGenerator<IdentitySummary[]> {
    return keysetBatches((cursor, limit) => this.reader.identitiesAfter(cursor, limit), batchSize);
  }
}
