import type { PrismaQueuedMessageRepository } from '@ots/mailbox-db';
import { TickBatcher } from '@ots/service-kit';

import type { MessageKey, MessageStore, QueuedMessage, StoredMessage } from '../domain/ports';
import { GroupCommitter } from './group-commit';

/** receivers per first-page read: at most this many pages of messages in one result */
const FIRST_PAGES_PER_READ = 20;
/** receivers per look-up of who has messages (one row at most each) */
const RECEIVERS_PER_CHECK = 2_000;
const NO_MESSAGES: readonly QueuedMessage[] = Object.freeze([]);

export interface MessageStoreOptions {
  readonly maxBatch: number;
  readonly concurrency: number;
  readonly onCommit?: (size: number, durationMs: number) => void;
  readonly onDeleteError?: (error: unknown) => void;
}

/**
 * The queue in PostgreSQL: inserts through group commit (a message's ack waits for its batch), deletes batched
 * the same way but fire-and-forget (a lost delete means one redelivery, which the receiver drops by message ID).
 */
export class PrismaMessageStore implements MessageStore {
  private readonly inserts: GroupCommitter<StoredMessage>;
  private readonly deletes: GroupCommitter<MessageKey>;
  /** per page size (the session's window decides it; at a login it is always the same) */
  private readonly firstPages = new Map<number, TickBatcher<string, readonly QueuedMessage[]>>();

  constructor(
    private readonly repository: PrismaQueuedMessageRepository,
    private readonly options: MessageStoreOptions,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.inserts = new GroupCommitter((batch) => repository.insertMany(batch), {
      maxBatch: options.maxBatch,
      concurrency: options.concurrency,
      onBatch: options.onCommit,
    });
    this.deletes = new GroupCommitter((batch) => repository.deleteMany(batch), {
      maxBatch: options.maxBatch,
      concurrency: Math.max(1, Math.floor(options.concurrency / 2)),
    });
  }

  store(message: StoredMessage): Promise<void> {
    return this.inserts.write(message);
  }

  delete(key: MessageKey): Promise<boolean> {
    return this.deletes.write(key).then(
      () => true,
      (error: unknown) => {
        this.options.onDeleteError?.(error);
        return false;
      },
    );
  }

  backlog(receiver: string, afterSeq: bigint, limit: number): Promise<readonly QueuedMessage[]> {
    if (afterSeq !== 0n) return this.repository.fetchBacklog(receiver, afterSeq, limit, this.now());
    // the first pages of the passes that begin in one event-loop turn (every login begins one) in one statement
    let firstPages = this.firstPages.get(limit);
    if (!firstPages) {
      firstPages = new TickBatcher(
        (receivers) => this.repository.fetchFirstPages(receivers, limit, this.now()),
        FIRST_PAGES_PER_READ,
        () => NO_MESSAGES,
      );
      this.firstPages.set(limit, firstPages);
    }
    return firstPages.get(receiver);
  }

  /** The receivers among these with queued (unexpired) messages: the late passes' check (docs/adr/0029). */
  async withQueuedMessages(receivers: string[]): Promise<ReadonlySet<string>> {
    const found = new Set<string>();
    for (let start = 0; start < receivers.length; start += RECEIVERS_PER_CHECK) {
      const pages = await this.repository.fetchFirstPages(
        receivers.slice(start, start + RECEIVERS_PER_CHECK),
        1,
        this.now(),
      );
      for (const receiver of pages.keys()) found.add(receiver);
    }
    return found;
  }

  async count(receiver: string): Promise<number> {
    return (await this.repository.statsFor(receiver, this.now())).count;
  }

  /** Writes not yet committed (what a graceful shutdown waits for). */
  get pendingWrites(): number {
    return this.inserts.backlog + this.deletes.backlog;
  }
}
