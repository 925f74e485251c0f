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
