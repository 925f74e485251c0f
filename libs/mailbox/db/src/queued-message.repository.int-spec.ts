import { runMigrations } from '@ots/db-tools';
import { startPostgres, type TestPostgres } from '@ots/testing';
import type { Pool } from 'pg';

import { PrismaDeviceCookieRepository } from './device-cookie.repository';
import {
  createMailboxHotPathPool,
  createMailboxPrismaClient,
  type MailboxPrismaClient,
} from './mailbox-prisma';
import { type NewQueuedMessage, PrismaQueuedMessageRepository } from './queued-message.repository';

const NOW = new Date('2026-11-27T00:00:00.000Z');
const LATER = new Date('2026-12-11T00:00:00.000Z');

function message(
  receiver: string,
  sender: string,
  messageId: bigint,
  fill = 1,
  size = 120,
): NewQueuedMessage {
  return {
    receiver,
    sender,
    messageId,
    flags: 0x01,
    queuedAt: NOW,
    expiresAt: LATER,
    struct: new Uint8Array(size).fill(fill),
  };
}

describe.each([
  ['through Prisma', false],
  ['with the node-postgres hot path', true],
])('mailbox repositories %s (real PostgreSQL)', (_name, hotPath) => {
  let postgres: TestPostgres;
  let prisma: MailboxPrismaClient;
  let pool: Pool | undefined;
  let queue: PrismaQueuedMessageRepository;

  beforeAll(async () => {
    postgres = await startPostgres();
    await runMigrations({ databaseUrl: postgres.url });
    prisma = createMailboxPrismaClient(postgres.url, 2);
    pool = hotPath ? createMailboxHotPathPool(postgres.url, 2) : undefined;
    queue = new PrismaQueuedMessageRepository(prisma, pool);
  });

  afterAll(async () => {
    await pool?.end();
    await prisma.$disconnect();
    await postgres.stop();
  });

  it('stores a batch in one statement and returns the backlog in arrival order, bytes intact', async () => {
    const maxU64 = 0xffff_ffff_ffff_ffffn;
    const inserted = await queue.insertMany([
      message('RECEIVR1', 'SENDER01', 1n, 0x11),
      message('RECEIVR1', 'SENDER02', maxU64, 0x22),
      message('RECEIVR2', 'SENDER01', 1n, 0x33, 7_000),
      message('RECEIVR1', 'SENDER01', 2n, 0x44, 1),
      // a Gateway sender: identities travel in unquoted array literals, "*" included
      message('RECEIVR4', '*GATEWY1', 5n, 0x55),
    ]);
    expect(inserted).toBe(5);
    expect((await queue.fetchBacklog('RECEIVR4', 0n, 10, NOW)).map((m) => m.sender)).toEqual(['*GATEWY1']);
    expect(await queue.deleteMany([{ receiver: 'RECEIVR4', sender: '*GATEWY1', messageId: 5n }])).toBe(1);
    // each struct cut back out of the batch's one binary parameter at its own offset and length
    const other = await queue.fetchBacklog('RECEIVR2', 0n, 10, NOW);
    expect(Buffer.from(other[0].struct).equals(Buffer.alloc(7_000, 0x33))).toBe(true);
    const backlog = await queue.fetchBacklog('RECEIVR1', 0n, 10, NOW);
    expect(backlog.map((m) => [m.sender, m.messageId, m.struct[0]])).toEqual([
      ['SENDER01', 1n, 0x11],
      ['SENDER02', maxU64, 0x22],
      ['SENDER01', 2n, 0x44],
    ]);
    expect(Buffer.from(backlog[1].struct).equals(Buffer.alloc(120, 0x22))).toBe(true);
    // every column comes back as written (the hot path reads them in binary format)
    expect(backlog[0]).toMatchObject({
      receiver: 'RECEIVR1',
      sender: 'SENDER01',
      messageId: 1n,
      flags: 0x01,
      queuedAt: NOW,
      expiresAt: LATER,
    });
    expect(typeof backlog[0].seq).toBe('bigint');
    expect(Buffer.from(backlog[2].struct).equals(Buffer.alloc(1, 0x44))).toBe(true);
    const page2 = await queue.fetchBacklog('RECEIVR1', backlog[0].seq, 1, NOW);
    expect(page2.map((m) => m.messageId)).toEqual([maxU64]);
  });

  it('reads the first page of many receivers in one statement, each in arrival order', async () => {
    await queue.insertMany([
      message('RECEIVR5', 'SENDER01', 1n, 0x51),
      message('RECEIVR6', 'SENDER01', 1n, 0x61),
      message('RECEIVR5', 'SENDER02', 1n, 0x52),
      message('RECEIVR5', 'SENDER03', 1n, 0x53),
    ]);
    const pages = await queue.fetchFirstPages(['RECEIVR5', 'RECEIVR6', 'NOBODY01'], 2, NOW);
    expect([...pages.keys()].sort()).toEqual(['RECEIVR5', 'RECEIVR6']); // nothing queued: absent
    expect(pages.get('RECEIVR5')?.map((m) => m.struct[0])).toEqual([0x51, 0x52]); // the limit is per receiver
    expect(pages.get('RECEIVR6')?.map((m) => m.struct[0])).toEqual([0x61]);
    expect(pages.get('RECEIVR5')).toEqual(await queue.fetchBacklog('RECEIVR5', 0n, 2, NOW));
    expect((await queue.fetchFirstPages(['RECEIVR5'], 10, LATER)).size).toBe(0); // expired ones are not read
    await queue.deleteForReceiver('RECEIVR5');
    await queue.deleteForReceiver('RECEIVR6');
  });

  it('keeps a resent message once (same receiver, sender and message ID)', async () => {
    expect(
      await queue.insertMany([message('RECEIVR3', 'SENDER01', 7n), message('RECEIVR3', 'SENDER01', 7n)]),
    ).toBe(1);
    expect(await queue.insertMany([message('RECEIVR3', 'SENDER01', 7n)])).toBe(0);
    expect((await queue.statsFor('RECEIVR3', NOW)).count).toBe(1);
  });

  it('deletes acknowledged messages by key and reports how many existed', async () => {
    const deleted = await queue.deleteMany([
      { receiver: 'RECEIVR1', sender: 'SENDER01', messageId: 1n },
      { receiver: 'RECEIVR1', sender: 'SENDER01', messageId: 99n },
    ]);
    expect(deleted).toBe(1);
    expect((await queue.fetchBacklog('RECEIVR1', 0n, 10, NOW)).map((m) => m.messageId)).toEqual([
      0xffff_ffff_ffff_ffffn,
      2n,
    ]);
  });

  it('hides expired messages from the backlog and deletes them in bounded sweeps', async () => {
    await queue.insertMany([
      { ...message('RECEIVR4', 'SENDER01', 1n), expiresAt: new Date(NOW.getTime() + 1000) },
    ]);
    const after = new Date(NOW.getTime() + 2000);
    expect(await queue.fetchBacklog('RECEIVR4', 0n, 10, after)).toEqual([]);
    expect((await queue.statsFor('RECEIVR4', after)).count).toBe(0);
    expect(await queue.deleteExpired(after, 1000)).toBe(1);
    expect((await queue.statsFor('RECEIVR4', NOW)).count).toBe(0);
  });

  it("counts a receiver's queue with its oldest message for the export", async () => {
    const stats = await queue.statsFor('RECEIVR1', NOW);
    expect(stats).toEqual({ count: 2, oldestQueuedAt: NOW });
    expect((await queue.totals()).count).toBeGreaterThanOrEqual(4);
  });

  it('stores the device cookie and its change flag per identity', async () => {
    const cookies = new PrismaDeviceCookieRepository(prisma, pool);
    expect(await cookies.find('RECEIVR1')).toBeNull();
    // a login's read: no cookie yet, and the two messages still queued for RECEIVR1
    expect(await cookies.findWithQueuedCount('RECEIVR1', NOW)).toEqual({ cookie: null, queuedMessages: 2 });
    expect(await cookies.findWithQueuedCount('NOBODY01', NOW)).toEqual({ cookie: null, queuedMessages: 0 });
    // many logins in one statement: every identity asked is answered, a repeated one once
    const many = await cookies.findManyWithQueuedCount(['RECEIVR1', 'NOBODY01', 'RECEIVR1'], NOW);
    expect([...many.keys()].sort()).toEqual(['NOBODY01', 'RECEIVR1']);
    expect(many.get('RECEIVR1')?.queuedMessages).toBe(2);
    await cookies.save('RECEIVR1', { cookie: new Uint8Array(16).fill(9), changePending: true }, NOW);
    await cookies.clearChangePending('RECEIVR1', NOW);
    const found = await cookies.find('RECEIVR1');
    expect(found?.changePending).toBe(false);
    expect(Buffer.from(found!.cookie).equals(Buffer.alloc(16, 9))).toBe(true);
    const atLogin = await cookies.findWithQueuedCount('RECEIVR1', NOW);
    expect(atLogin.queuedMessages).toBe(2);
    expect(atLogin.cookie?.changePending).toBe(false);
    expect(Buffer.from(atLogin.cookie!.cookie).equals(Buffer.alloc(16, 9))).toBe(true);
    // expired messages are not counted
    expect((await cookies.findWithQueuedCount('RECEIVR1', LATER)).queuedMessages).toBe(0);
  });
});
