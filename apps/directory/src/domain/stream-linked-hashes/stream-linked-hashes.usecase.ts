import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import type { LinkedHashEntry } from '../linked-hash';

export const DEFAULT_LINKED_HASH_BATCH = 1000;
export const MAX_LINKED_HASH_BATCH = 10_000;

export interface LinkedHashPage {
  readonly entries: readonly LinkedHashEntry[];
  /** Pass to the next call; undefined when there is nothing after this page. */
  readonly nextCursor: string | undefined;
}

export interface LinkedHashReader {
  /**
   * Verified hashes of identities that are not revoked, in identity order, for identities after `cursor`
   * (exclusive; undefined = from the start), at most `identityLimit` identities per page.
   */
  linkedHashesAfter(cursor: string | undefined, identityLimit: number): Promise<LinkedHashPage>;
}

/**
 * directory.v1 StreamLinkedHashes: the linked-hash index in batches for contact-sync. Pages follow the identity
 * order (keyset), so the walk is not one snapshot: changes during it reach the caller as NATS events, which are
 * idempotent (see the proto).
 */
export class StreamLinkedHashesUseCase {
  constructor(private readonly reader: LinkedHashReader) {}

  batchSizeFor(requested: number): number {
    if (!Number.isInteger(requested) || requested < 0 || requested > MAX_LINKED_HASH_BATCH) {
      throw new DirectoryError(
        DirectoryErrorCode.InvalidRequest,
        `batch_size must be between 0 (default) and ${String(MAX_LINKED_HASH_BATCH)}`,
      );
    }
    return requested === 0 ? DEFAULT_LINKED_HASH_BATCH : requested;
  }

  /** Batches of at most `batchSize` entries; validate the size with batchSizeFor first. */
  async *batches(batchSize: number): AsyncGenerator<LinkedHashEntry[]> {
    let pending: LinkedHashEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.reader.linkedHashesAfter(cursor, batchSize);
      pending.push(...page.entries);
      while (pending.length >= batchSize) {
        yield pending.slice(0, batchSize);
        pending = pending.slice(batchSize);
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    if (pending.length > 0) yield pending;
  }
}
