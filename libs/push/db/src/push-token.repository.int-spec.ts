import { runMigrations, SERVICE_DATABASES } from '@ots/db-tools';
import { startPostgres, type TestPostgres } from '@ots/testing';
import { Client } from 'pg';

import { createPushPrismaClient, type PushPrismaClient } from './push-prisma';
import { PrismaPushTokenRepository, TokenSlotCode } from './push-token.repository';

describe('PrismaPushTokenRepository (real PostgreSQL)', () => {
  let postgres: TestPostgres;
  let prisma: PushPrismaClient;
  let repository: PrismaPushTokenRepository;
  const maxDeviceId = 0xffffffffffffffffn;

  beforeAll(async () => {
    postgres = await startPostgres();
    await runMigrations({
      databaseUrl: postgres.url,
      services: SERVICE_DATABASES.filter((d) => d.service === 'push'),
    });
    prisma = createPushPrismaClient(postgres.url, 2);
    repository = new PrismaPushTokenRepository(prisma);
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await postgres.stop();
  });

  beforeEach(async () => {
    await prisma.pushToken.deleteMany({});
  });

  const fcm = (text: string) => Buffer.from(text);

  it('stores a slot per identity, device and slot, with u64 device IDs intact', async () => {
    const setAt = new Date('2026-11-27T00:00:00.000Z');
    await repository.upsert({
      identity: 'ABCD1234',
      deviceId: maxDeviceId,
      slot: TokenSlotCode.Regular,
      tokenType: 0x11,
      token: fcm('a'),
      setAt,
    });
    await repository.upsert({
      identity: 'ABCD1234',
      deviceId: maxDeviceId,
      slot: TokenSlotCode.Voip,
      tokenType: 0x11,
      token: fcm('b'),
      setAt,
    });
    await repository.upsert({
      identity: 'ABCD1234',
      deviceId: 1n,
      slot: TokenSlotCode.Regular,
      tokenType: 0x11,
      token: fcm('c'),
      setAt,
    });
    const stored = await repository.listByIdentity('ABCD1234');
    expect(stored.map((t) => [t.deviceId, t.slot, Buffer.from(t.token).toString()])).toEqual([
      [1n, TokenSlotCode.Regular, 'c'],
      [maxDeviceId, TokenSlotCode.Regular, 'a'],
      [maxDeviceId, TokenSlotCode.Voip, 'b'],
    ]);
    expect(stored[0].setAt.toISOString()).toBe(setAt.toISOString());
    expect(await repository.listByIdentity('OTHER123')).toEqual([]);
  });

  it('lists many identities in one call, with an empty list for identities without tokens', async () => {
    await repository.upsert({
      identity: 'MANY0001',
      deviceId: 1n,
      slot: TokenSlotCode.Regular,
      tokenType: 0x11,
      token: fcm('a'),
      setAt: new Date(),
    });
    await repository.upsert({
      identity: 'MANY0002',
      deviceId: 2n,
      slot: TokenSlotCode.Voip,
      tokenType: 0x11,
      token: fcm('b'),
      setAt: new Date(),
    });
    const byIdentity = await repository.listByIdentities(['MANY0001', 'MANY0002', 'MANY0003']);
    expect([...byIdentity].map(([identity, tokens]) => [identity, tokens.map((t) => t.deviceId)])).toEqual([
      ['MANY0001', [1n]],
      ['MANY0002', [2n]],
      ['MANY0003', []],
    ]);
  });

  it('replaces the token of a slot when it is set again', async () => {
    await repository.upsert({
      identity: 'ABCD1234',
      deviceId: 5n,
      slot: TokenSlotCode.Regular,
      tokenType: 0x11,
      token: fcm('old'),
      setAt: new Date(1),
    });
    await repository.upsert({
      identity: 'ABCD1234',
      deviceId: 5n,
      slot: TokenSlotCode.Regular,
      tokenType: 0x13,
      token: fcm('app|new'),
      setAt: new Date(2),
    });
    const [only, ...rest] = await repository.listByIdentity('ABCD1234');
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ tokenType: 0x13, setAt: new Date(2) });
    expect(Buffer.from(only.token).toString()).toBe('app|new');
  });

  it('clears one slot and deletes devices by list or all-but-one (CSP 0x25)', async () => {
    for (const deviceId of [1n, 2n, 3n]) {
      for (const slot of [TokenSlotCode.Regular, TokenSlotCode.Voip]) {
        await repository.upsert({
          identity: 'ABCD1234',
          deviceId,
          slot,
          tokenType: 0x11,
          token: fcm('t'),
          setAt: new Date(),
        });
      }
    }
    await repository.upsert({
      identity: 'OTHER123',
      deviceId: 2n,
      slot: TokenSlotCode.Regular,
      tokenType: 0x11,
      token: fcm('t'),
      setAt: new Date(),
    });
    expect(await repository.clearSlot('ABCD1234', 1n, TokenSlotCode.Voip)).toBe(true);
    expect(await repository.clearSlot('ABCD1234', 1n, TokenSlotCode.Voip)).toBe(false);
    expect(await repository.deleteDevices('ABCD1234', [2n, 99n])).toBe(2);
    expect(await repository.deleteAllDevicesExcept('ABCD1234', 1n)).toBe(2);
    expect((await repository.listByIdentity('ABCD1234')).map((t) => [t.deviceId, t.slot])).toEqual([
      [1n, TokenSlotCode.Regular],
    ]);
    expect(await repository.listByIdentity('OTHER123')).toHaveLength(1);
  });

  it('deletes a gone token only if it is unchanged and, when asked, older than the provider timestamp', async () => {
    const base = { identity: 'ABCD1234', deviceId: 7n, slot: TokenSlotCode.Regular };
    await repository.upsert({ ...base, tokenType: 0x11, token: fcm('current'), setAt: new Date(2_000) });
    expect(await repository.deleteGone({ ...base, token: fcm('replaced-earlier') })).toBe(false);
    expect(await repository.deleteGone({ ...base, token: fcm('current'), setBefore: new Date(1_000) })).toBe(
      false,
    );
    expect(await repository.listByIdentity('ABCD1234')).toHaveLength(1);
    expect(await repository.deleteGone({ ...base, token: fcm('current'), setBefore: new Date(3_000) })).toBe(
      true,
    );
    expect(await repository.listByIdentity('ABCD1234')).toEqual([]);
  });

  it('finds an own-push registration by its push ID', async () => {
    const pushId = Buffer.alloc(20, 0x42);
    await repository.upsert({
      identity: 'ABCD1234',
      deviceId: 9n,
      slot: TokenSlotCode.Regular,
      tokenType: 0x70,
      token: Buffer.alloc(52, 1),
      ownPushId: pushId,
      setAt: new Date(),
    });
    expect(await repository.findByOwnPushId(pushId)).toMatchObject({ identity: 'ABCD1234', deviceId: 9n });
    expect(await repository.findByOwnPushId(Buffer.alloc(20, 0x43))).toBeUndefined();
  });

  it('keeps its tables and migration history in its own PostgreSQL schema', async () => {
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    const tables = await client.query<{ table_schema: string; table_name: string }>(
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2",
    );
    await client.end();
    expect(tables.rows).toEqual([
      { table_schema: 'push', table_name: '_prisma_migrations' },
      { table_schema: 'push', table_name: 'push_token' },
    ]);
  });

  it('answers the readiness ping', async () => {
    await expect(repository.ping()).resolves.toBeUndefined();
  });
});
