import type { Pool } from 'pg';

import type { MailboxPrismaClient } from './mailbox-prisma';

// The hot paths are single multi-row statements (unnest of parallel arrays) so that one round trip and one
// commit carry a whole batch of messages from many connections (architecture: group commit).

export interface MessageKey {
  readonly receiver: string;
  readonly sender: string;
  /** u64 message ID */
  readonly messageId: bigint;
}

export interface NewQueuedMessage extends MessageKey {
  readonly flags: number;
  readonly queuedAt: Date;
  readonly expiresAt: Date;
  readonly struct: Uint8Array;
}

export interface QueuedMessageRecord extends NewQueuedMessage {
  readonly seq: bigint;
}

export interface QueueStats {
  readonly count: number;
  readonly oldestQueuedAt: Date | null;
}

interface QueuedRow {
  seq: bigint | string;
  receiver: string;
  sender: string;
  message_id: bigint;
  flags: number;
  queued_at: Date;
  expires_at: Date;
  struct: Uint8Array;
}

function toRecord(row: QueuedRow): QueuedMessageRecord {
  return {
    seq: BigInt(row.seq),
    receiver: row.receiver,
    sender: row.sender,
    messageId: fromInt8(row.message_id),
    flags: row.flags,
    queuedAt: row.queued_at,
    expiresAt: row.expires_at,
    struct: row.struct,
  };
}

/** u64 → int8: PostgreSQL has no unsigned 64-bit type, so message IDs are stored as their two's complement. */
const toInt8 = (value: bigint): string => BigInt.asIntN(64, value).toString();
const fromInt8 = (value: bigint | number | string): bigint => BigInt.asUintN(64, BigInt(value));

// The structs of a batch travel as one binary parameter (node-postgres sends a Buffer in binary format) with
// their lengths, cut apart in SQL: no hex text and no array literal of ~1 KiB elements to build and escape on
// our side or to parse on the server's.
const INSERT_BATCH = `INSERT INTO queued_message (receiver, sender, message_id, flags, queued_at, expires_at, struct)
  SELECT r, s, m, f, q, e, substring($7::bytea FROM o FOR l)
  FROM unnest($1::char(8)[], $2::char(8)[], $3::int8[], $4::int2[], $5::timestamptz[], $6::timestamptz[],
              $8::int4[], $9::int4[]) AS t(r, s, m, f, q, e, o, l)
  ON CONFLICT (receiver, sender, message_id) DO NOTHING`;

const DELETE_BATCH = `DELETE FROM queued_message q
  USING unnest($1::char(8)[], $2::char(8)[], $3::int8[]) AS k(receiver, sender, message_id)
  WHERE q.receiver = k.receiver AND q.sender = k.sender AND q.message_id = k.message_id`;

/**
 * A PostgreSQL array literal of elements that need no quoting: identities ([0-9A-Z*], validated by the protocol
 * decoder before anything reaches the store), integers and ISO timestamps. node-postgres's own array
 * serialisation quotes and escapes every element, which was a few percent of the mailbox's CPU per message.
 */
function plainArray(elements: readonly (string | number)[]): string {
  return `{${elements.join(',')}}`;
}

/**
 * Owns `mailbox.queued_message`. The two statements on every message's path (the group-commit insert and the
 * batched delete) run as named prepared statements on a node-postgres pool when one is given: Prisma's per-query
 * overhead was about an eighth of the mailbox's CPU under load (docs/adr/0009). Everything else goes through
 * Prisma.
 */
export class PrismaQueuedMessageRepository {
  constructor(
    private readonly prisma: MailboxPrismaClient,
    private readonly hotPath?: Pool,
  ) {}

  /** Stores a batch in one statement; a message already queued (same receiver, sender, ID) is kept once. */
  async insertMany(messages: readonly NewQueuedMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    const offsets: number[] = [];
    const lengths: number[] = [];
    let offset = 1; // substring() counts from 1
    for (const m of messages) {
      offsets.push(offset);
      lengths.push(m.struct.length);
      offset += m.struct.length;
    }
    const values = [
      plainArray(messages.map((m) => m.receiver)),
      plainArray(messages.map((m) => m.sender)),
      plainArray(messages.map((m) => toInt8(m.messageId))),
      plainArray(messages.map((m) => m.flags)),
      plainArray(messages.map((m) => m.queuedAt.toISOString())),
      plainArray(messages.map((m) => m.expiresAt.toISOString())),
      Buffer.concat(messages.map((m) => m.struct)),
      plainArray(offsets),
      plainArray(lengths),
    ];
    if (this.hotPath) {
      const result = await this.hotPath.query({ name: 'mailbox_insert_batch', text: INSERT_BATCH, values });
      return result.rowCount ?? 0;
    }
    return this.prisma.$executeRawUnsafe(INSERT_BATCH, ...values);
  }

  /** Deletes a batch of acknowledged messages; returns how many of them existed (and are now gone). */
  async deleteMany(keys: readonly MessageKey[]): Promise<number> {
    if (keys.length === 0) return 0;
    const values = [
      plainArray(keys.map((k) => k.receiver)),
      plainArray(keys.map((k) => k.sender)),
      plainArray(keys.map((k) => toInt8(k.messageId))),
    ];
    if (this.hotPath) {
      const result = await this.hotPath.query({ name: 'mailbox_delete_batch', text: DELETE_BATCH, values });
      return result.rowCount ?? 0;
    }
    return this.prisma.$executeRawUnsafe(DELETE_BATCH, ...values);
  }

  /** The receiver's queue in arrival order, after `afterSeq`, without expired messages. */
  async fetchBacklog(
    receiver: string,
    afterSeq: bigint,
    limit: number,
    now: Date,
  ): Promise<QueuedMessageRecord[]> {
    const rows = await this.query<QueuedRow>(
      'mailbox_backlog',
      `SELECT seq, receiver, sender, message_id, flags, queued_at, expires_at, struct FROM queued_message
       WHERE receiver = $1 AND seq > $2::int8 AND expires_at > $3::timestamptz
       ORDER BY seq LIMIT $4`,
      [receiver, afterSeq.toString(), now.toISOString(), limit],
    );
    return rows.map(toRecord);
  }

  /**
   * fetchBacklog from the start of the queue for many receivers in one statement (the sessions that begin a pass
   * over their queue in the same turn of the event loop: every login does). Each receiver's messages in arrival
   * order; a receiver with none is absent.
   */
  async fetchFirstPages(
    receivers: readonly string[],
    limit: number,
    now: Date,
  ): Promise<Map<string, QueuedMessageRecord[]>> {
    const rows = await this.query<QueuedRow>(
      'mailbox_first_pages',
      `SELECT m.seq, m.receiver, m.sender, m.message_id, m.flags, m.queued_at, m.expires_at, m.struct
       FROM unnest($1::char(8)[]) AS r(receiver)
       CROSS JOIN LATERAL (
         SELECT q.seq, q.receiver, q.sender, q.message_id, q.flags, q.queued_at, q.expires_at, q.struct
         FROM queued_message q WHERE q.receiver = r.receiver AND q.expires_at > $2::timestamptz
         ORDER BY q.seq LIMIT $3) AS m`,
      [receivers, now.toISOString(), limit],
    );
    const pages = new Map<string, QueuedMessageRecord[]>();
    for (const row of rows) {
      const record = toRecord(row);
      const page = pages.get(record.receiver);
      if (page) page.push(record);
      else pages.set(record.receiver, [record]);
    }
    // the join keeps each receiver's rows in the order of its subquery in practice; SQL does not promise it
    for (const page of pages.values()) page.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    return pages;
  }

  async statsFor(receiver: string, now: Date): Promise<QueueStats> {
    const rows = await this.query<{ count: bigint | string; oldest: Date | null }>(
      'mailbox_receiver_stats',
      `SELECT count(*)::int8 AS count, min(queued_at) AS oldest FROM queued_message
       WHERE receiver = $1 AND expires_at > $2::timestamptz`,
      [receiver, now.toISOString()],
    );
    const row = rows.at(0);
    return { count: Number(row?.count ?? 0), oldestQueuedAt: row?.oldest ?? null };
  }

  /** A read on the login or delivery path: a prepared statement on the hot-path pool, else Prisma. */
  private async query<Row>(name: string, text: string, values: unknown[]): Promise<Row[]> {
    if (this.hotPath) return (await this.hotPath.query<Row & object>({ name, text, values })).rows;
    return this.prisma.$queryRawUnsafe<Row[]>(text, ...values);
  }

  /** The receiver was revoked: its queue goes (messages it sent to others stay: they belong to their receivers). */
  async deleteForReceiver(receiver: string): Promise<number> {
    return this.prisma.$executeRawUnsafe('DELETE FROM queued_message WHERE receiver = $1', receiver);
  }

  /** Deletes up to `limit` expired messages; returns how many. */
  async deleteExpired(now: Date, limit: number): Promise<number> {
    return this.prisma.$executeRawUnsafe(
      `DELETE FROM queued_message WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM queued_message WHERE expires_at <= $1::timestamptz LIMIT $2))`,
      now.toISOString(),
      limit,
    );
  }

  /** Queue-wide gauges for metrics: depth and the oldest queued time. */
  async totals(): Promise<QueueStats> {
    const rows = await this.prisma.$queryRawUnsafe<{ count: bigint; oldest: Date | null }[]>(
      `SELECT count(*)::int8 AS count, min(queued_at) AS oldest FROM queued_message`,
    );
    const row = rows.at(0);
    return { count: Number(row?.count ?? 0), oldestQueuedAt: row?.oldest ?? null };
  }
}
