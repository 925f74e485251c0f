import { status } from '@grpc/grpc-js';
import { directoryV1 } from '@ots/contracts';
import { createDirectoryPrismaClient, type DirectoryPrismaClient } from '@ots/directory-db';

import { TestDirectoryGrpcClient } from '../../test/grpc-client';
import { startDirectoryForTest, type TestDirectory } from '../../test/start-directory';

const { HashKind, IdentityState, IdentityType } = directoryV1;

describe('directory.v1 RecordLogins, GetInventory, StreamLinkedHashes, StreamIdentities (real gRPC, PostgreSQL, NATS)', () => {
  let directory: TestDirectory;
  let client: TestDirectoryGrpcClient;
  let db: DirectoryPrismaClient;
  const hash = (fill: number) => Buffer.alloc(32, fill);

  beforeAll(async () => {
    directory = await startDirectoryForTest();
    client = new TestDirectoryGrpcClient(directory.grpcPort);
    db = createDirectoryPrismaClient(directory.postgres.url, 2);
    const identity = (id: string, fill: number, extra: Record<string, unknown> = {}) => ({
      id,
      publicKey: Buffer.alloc(32, fill),
      serverGroup: '0a',
      ...extra,
    });
    await db.identity.createMany({
      data: [
        identity('LOGIN001', 1),
        identity('LOGIN002', 2),
        identity('REVOKED1', 3, { state: 2, emailHash: hash(0x33) }),
        identity('LINKED01', 4, { emailHash: hash(0x41), mobileNoHash: hash(0x42) }),
        identity('LINKED02', 5, { mobileNoHash: hash(0x52), state: 1 }),
        identity('LINKED03', 6, { emailHash: hash(0x61) }),
        identity('PLAIN001', 7),
        identity('WORK0001', 9, { type: 1 }),
        identity('INVENTRY', 8, {
          featureMask: 0x0fn,
          emailHash: hash(0x81),
          revocationKeyHash: hash(0x82),
          revocationKeyChangedAt: new Date('2026-01-02T03:04:05.678Z'),
          createdAt: new Date('2025-05-06T07:08:09.000Z'),
        }),
      ],
    });
    await db.pendingLink.create({
      data: {
        id: 'pending-inventory-phone',
        identityId: 'INVENTRY',
        kind: 2,
        hash: hash(0x83),
        secretHash: hash(0x84),
        expiresAt: new Date('2030-01-01T00:00:00.000Z'),
      },
    });
  });

  afterAll(async () => {
    client.close();
    await db.$disconnect();
    await directory.stop();
  });

  async function lastLogin(id: string): Promise<Date | null> {
    const row = await db.identity.findUniqueOrThrow({ where: { id }, select: { lastLoginAt: true } });
    return row.lastLoginAt;
  }

  describe('RecordLogins', () => {
    it('stores the latest login per identity and ignores unknown and revoked ones', async () => {
      const reply = await client.recordLogins([
        { identity: 'LOGIN001', loginTimeMs: 1_700_000_001_000n },
        { identity: 'LOGIN001', loginTimeMs: 1_700_000_003_000n },
        { identity: 'LOGIN002', loginTimeMs: 1_700_000_002_000n },
        { identity: 'NOSUCHID', loginTimeMs: 1_700_000_002_000n },
        { identity: 'REVOKED1', loginTimeMs: 1_700_000_002_000n },
      ]);
      expect(reply.updated).toBe(2);
      expect(await lastLogin('LOGIN001')).toEqual(new Date(1_700_000_003_000));
      expect(await lastLogin('LOGIN002')).toEqual(new Date(1_700_000_002_000));
      expect(await lastLogin('REVOKED1')).toBeNull();
    });

    it('never moves a last login back', async () => {
      const reply = await client.recordLogins([{ identity: 'LOGIN001', loginTimeMs: 1_600_000_000_000n }]);
      expect(reply.updated).toBe(0);
      expect(await lastLogin('LOGIN001')).toEqual(new Date(1_700_000_003_000));
    });

    it.each<[string, directoryV1.LoginRecord[]]>([
      ['a malformed identity', [{ identity: 'login001', loginTimeMs: 1n }]],
      ['an empty identity', [{ identity: '', loginTimeMs: 1n }]],
      ['a zero login time', [{ identity: 'LOGIN001', loginTimeMs: 0n }]],
      ['a login time far in the future', [{ identity: 'LOGIN001', loginTimeMs: 99_999_999_999_999n }]],
      [
        'more than 1000 logins',
        Array.from({ length: 1001 }, () => ({ identity: 'LOGIN001', loginTimeMs: 1n })),
      ],
    ])('answers INVALID_ARGUMENT for %s and changes nothing', async (_label, logins) => {
      await expect(client.recordLogins(logins)).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
      expect(await lastLogin('LOGIN001')).toEqual(new Date(1_700_000_003_000));
    });
  });

  describe('GetInventory', () => {
    it('returns every stored per-identity field', async () => {
      await client.recordLogins([{ identity: 'INVENTRY', loginTimeMs: 1_750_000_000_123n }]);
      const inventory = await client.getInventory('INVENTRY');
      expect(inventory).toEqual({
        identity: 'INVENTRY',
        publicKey: Buffer.alloc(32, 8),
        state: IdentityState.IDENTITY_STATE_ACTIVE,
        type: directoryV1.IdentityType.IDENTITY_TYPE_REGULAR,
        featureMask: 0x0fn,
        serverGroup: '0a',
        issueDateMs: BigInt(Date.parse('2025-05-06T07:08:09.000Z')),
        lastLoginMs: 1_750_000_000_123n,
        mobileNoHash: Buffer.alloc(0),
        emailHash: hash(0x81),
        revocationKeySet: true,
        revocationKeyLastChangedMs: BigInt(Date.parse('2026-01-02T03:04:05.678Z')),
        pendingLinks: [
          {
            kind: HashKind.HASH_KIND_MOBILE_NO,
            hash: hash(0x83),
            expiresAtMs: BigInt(Date.parse('2030-01-01T00:00:00.000Z')),
          },
        ],
      });
    });

    it('shows an identity with nothing linked and no login as empty fields and zeros', async () => {
      expect(await client.getInventory('PLAIN001')).toMatchObject({
        lastLoginMs: 0n,
        emailHash: Buffer.alloc(0),
        mobileNoHash: Buffer.alloc(0),
        revocationKeySet: false,
        revocationKeyLastChangedMs: 0n,
        pendingLinks: [],
      });
    });

    it('answers NOT_FOUND for an unknown identity and INVALID_ARGUMENT for a malformed one', async () => {
      await expect(client.getInventory('NOSUCHID')).rejects.toMatchObject({ code: status.NOT_FOUND });
      await expect(client.getInventory('')).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
      await expect(client.getInventory('x'.repeat(500))).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
      });
    });
  });

  describe('StreamLinkedHashes', () => {
    const linked = (messages: directoryV1.StreamLinkedHashesResponse[]) =>
      messages.flatMap((message) =>
        message.entries.map((e) => `${e.identity}:${String(e.kind)}:${e.hash.toString('hex').slice(0, 2)}`),
      );

    it('streams the verified hashes of identities that are not revoked, in batches', async () => {
      const messages = await client.streamLinkedHashes(2);
      expect(messages.map((message) => message.entries.length)).toEqual([2, 2, 1]);
      expect(linked(messages)).toEqual([
        'INVENTRY:1:81',
        'LINKED01:1:41',
        'LINKED01:2:42',
        'LINKED02:2:52',
        'LINKED03:1:61',
      ]);
      const inactive = messages.flatMap((m) => m.entries).find((e) => e.identity === 'LINKED02');
      expect(inactive).toMatchObject({
        state: IdentityState.IDENTITY_STATE_INACTIVE,
        publicKey: Buffer.alloc(32, 5),
      });
    });

    it('uses the default batch size for 0', async () => {
      const messages = await client.streamLinkedHashes(0);
      expect(messages).toHaveLength(1);
      expect(linked(messages)).toHaveLength(5);
    });

    it('answers INVALID_ARGUMENT for a batch size beyond the maximum', async () => {
      await expect(client.streamLinkedHashes(1_000_000)).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
      });
      // and keeps serving
      await expect(client.streamLinkedHashes(10)).resolves.toHaveLength(1);
    });
  });

  describe('StreamIdentities', () => {
    const identity = (
      id: string,
      fill: number,
      state = IdentityState.IDENTITY_STATE_ACTIVE,
      extra: Partial<directoryV1.Identity> = {},
    ): directoryV1.Identity => ({
      identity: id,
      publicKey: Buffer.alloc(32, fill),
      state,
      type: IdentityType.IDENTITY_TYPE_REGULAR,
      featureMask: 0n,
      serverGroup: '0a',
      ...extra,
    });
    // every identity of beforeAll in ID order, the revoked and the inactive one too
    const everyIdentity = [
      identity('INVENTRY', 8, IdentityState.IDENTITY_STATE_ACTIVE, { featureMask: 0x0fn }),
      identity('LINKED01', 4),
      identity('LINKED02', 5, IdentityState.IDENTITY_STATE_INACTIVE),
      identity('LINKED03', 6),
      identity('LOGIN001', 1),
      identity('LOGIN002', 2),
      identity('PLAIN001', 7),
      identity('REVOKED1', 3, IdentityState.IDENTITY_STATE_REVOKED),
      identity('WORK0001', 9, IdentityState.IDENTITY_STATE_ACTIVE, { type: IdentityType.IDENTITY_TYPE_WORK }),
    ];

    it('streams every identity with its key, state, type, feature mask and server group, in batches', async () => {
      const messages = await client.streamIdentities(4);
      expect(messages.map((message) => message.identities.length)).toEqual([4, 4, 1]);
      expect(messages.flatMap((message) => message.identities)).toEqual(everyIdentity);
    });

    it('sends no empty batch when the batch size divides the count, and one batch for 0', async () => {
      expect((await client.streamIdentities(3)).map((m) => m.identities.length)).toEqual([3, 3, 3]);
      const messages = await client.streamIdentities(0);
      expect(messages).toHaveLength(1);
      expect(messages[0]?.identities).toEqual(everyIdentity);
    });

    it('answers INVALID_ARGUMENT for a batch size beyond the maximum', async () => {
      await expect(client.streamIdentities(10_001)).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
      });
      // and keeps serving
      await expect(client.streamIdentities(10_000)).resolves.toHaveLength(1);
    });
  });
});
