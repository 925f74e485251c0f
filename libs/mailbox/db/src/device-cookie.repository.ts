import type { Pool } from 'pg';

import type { MailboxPrismaClient } from './mailbox-prisma';

export interface DeviceCookieRecord {
  readonly cookie: Uint8Array;
  readonly changePending: boolean;
}

/** Owns `mailbox.device_cookie` (spec §1.4 device cookie and its change indication). */
export class PrismaDeviceCookieRepository {
  /** `hotPath`: a node-postgres pool for the read every login does (see PrismaQueuedMessageRepository). */
  constructor(
    private readonly prisma: MailboxPrismaClient,
    private readonly hotPath?: Pool,
  ) {}

  async find(identity: string): Promise<DeviceCookieRecord | null> {
    if (this.hotPath) {
      const result = await this.hotPath.query<{ cookie: Buffer; change_pending: boolean }>({
        name: 'mailbox_device_cookie',
        text: 'SELECT cookie, change_pending FROM device_cookie WHERE identity = $1',
        values: [identity],
      });
      const row = result.rows.at(0);
      return row ? { cookie: row.cookie, changePending: row.change_pending } : null;
    }
    const row = await this.prisma.deviceCookie.findUnique({ where: { identity } });
    return row ? { cookie: row.cookie, changePending: row.changePending } : null;
  }

  /**
   * What a login reads, in one round trip: the device cookie (or null) and the number of queued, unexpired
   * messages (login-ack).
   */
  async findWithQueuedCount(
    identity: string,
    now: Date,
  ): Promise<{ cookie: DeviceCookieRecord | null; queuedMessages: number }> {
    const found = await this.findManyWithQueuedCount([identity], now);
    return found.get(identity) ?? { cookie: null, queuedMessages: 0 };
  }

  /**
   * findWithQueuedCount for many identities in one round trip (the logins of one turn of the chat server's event
   * loop); every identity asked is in the result.
   */
  async findManyWithQueuedCount(
    identities: readonly string[],
    now: Date,
  ): Promise<Map<string, { cookie: DeviceCookieRecord | null; queuedMessages: number }>> {
    const text = `SELECT i.identity, c.cookie, c.change_pending,
        (SELECT count(*) FROM queued_message q WHERE q.receiver = i.identity AND q.expires_at > $2::timestamptz)::int8
          AS queued
      FROM unnest($1::char(8)[]) AS i(identity) LEFT JOIN device_cookie c ON c.identity = i.identity`;
    interface Row {
      identity: string;
      cookie: Buffer | null;
      change_pending: boolean | null;
      queued: bigint | string;
    }
    const values = [identities, now.toISOString()];
    const rows = this.hotPath
      ? (await this.hotPath.query<Row>({ name: 'mailbox_login_reads', text, values })).rows
      : await this.prisma.$queryRawUnsafe<Row[]>(text, ...values);
    const found = new Map<string, { cookie: DeviceCookieRecord | null; queuedMessages: number }>();
    for (const row of rows) {
      found.set(row.identity, {
        cookie: row.cookie ? { cookie: row.cookie, changePending: row.change_pending === true } : null,
        queuedMessages: Number(row.queued),
      });
    }
    return found;
  }

  async save(identity: string, record: DeviceCookieRecord, now: Date): Promise<void> {
    const data = { cookie: Buffer.from(record.cookie), changePending: record.changePending, updatedAt: now };
    await this.prisma.deviceCookie.upsert({
      where: { identity },
      create: { identity, ...data },
      update: data,
    });
  }

  async clearChangePending(identity: string, now: Date): Promise<void> {
    await this.prisma.deviceCookie.updateMany({
      where: { identity, changePending: true },
      data: { changePending: false, updatedAt: now },
    });
  }

  async delete(identity: string): Promise<void> {
    await this.prisma.deviceCookie.deleteMany({ where: { identity } });
  }
}
