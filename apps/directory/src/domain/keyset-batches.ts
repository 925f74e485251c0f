import { DirectoryError, DirectoryErrorCode } from './directory-error';

export const DEFAULT_STREAM_BATCH = 1000;
export const MAX_STREAM_BATCH = 10_000;

/** One page of a keyset walk over the identity table. */
export interface KeysetPage<T> {
  readonly entries: readonly T[];
  /** Pass to the next read; undefined when there is nothing after this page. */
  readonly nextCursor: string | undefined;
}

/** Reads the page after `cursor` (exclusive; undefined = from the start), at most `limit` identities. */
export type KeysetPageReader<T> = (cursor: string | undefined, limit: number) => Promise<KeysetPage<T>>;

/** The batch_size of a directory.v1 Stream* request: 0 means the default, more than the maximum is refused. */
export function streamBatchSize(requested: number): number {
  if (!Number.isInteger(requested) || requested < 0 || requested > MAX_STREAM_BATCH) {
    throw new DirectoryError(
      DirectoryErrorCode.InvalidRequest,
      `batch_size must be between 0 (default) and ${String(MAX_STREAM_BATCH)}`,
    );
  }
  return requested === 0 ? DEFAULT_STREAM_BATCH : requested;
}

/**
 * Walks the pages in identity order (keyset) and regroups their entries into batches of `batchSize` (the last
 * one shorter, never empty): a page holds at most `batchSize` identities, but an identity may bring several
 * entries (an e-mail and a phone hash). The walk is not one snapshot: the streams' callers catch up through the
 * NATS events (see the proto).
 */
export async function* keysetBatches<T>(
  readPage: KeysetPageReader<T>,
  batchSize: number,
): AsyncGenerator<T[]> {
  let pending: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await readPage(cursor, batchSize);
    pending.push(...page.entries);
    while (pending.length >= batchSize) {
      yield pending.slice(0, batchSize);
      pending = pending.slice(batchSize);
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  if (pending.length > 0) yield pending;
}
