import { keysetBatches, type KeysetPage, streamBatchSize } from '../keyset-batches';
import type { LinkedHashEntry } from '../linked-hash';

export interface LinkedHashReader {
  /**
   * Verified hashes of identities that are not revoked, in identity order, for identities after `cursor`
   * (exclusive; undefined = from the start), at most `identityLimit` identities per page.
   */
  linkedHashesAfter(cursor: string | undefined, identityLimit: number): Promise<KeysetPage<LinkedHashEntry>>;
}

/**
 * directory.v1 StreamLinkedHashes: the linked-hash index in batches for contact-sync. Pages follow the identity
 * order (keyset), so the walk is not one snapshot: changes during it reach the caller as NATS events, which are
 * idempotent (see the proto).
 */
export class StreamLinkedHashesUseCase {
  constructor(private readonly reader: LinkedHashReader) {}

  batchSizeFor(requested: number): number {
    return streamBatchSize(requested);
  }

  /** Batches of at most `batchSize` entries; validate the size with batchSizeFor first. */
  batches(batchSize: number): AsyncGenerator<LinkedHashEntry[]> {
    return keysetBatches((cursor, limit) => this.reader.linkedHashesAfter(cursor, limit), batchSize);
  }
}
