import { SlidingWindowLimiter } from '@ots/rate-limit';

import { AnswerCommandUseCase, HELP_TEXT, ReplyKind } from './answer-command.usecase';
import type { DirectoryInventory, MailboxInventory } from './inventory';

const directoryInventory = (
  identity: string,
  extra: Partial<DirectoryInventory> = {},
): DirectoryInventory => ({
  identity,
  publicKey: new Uint8Array(32).fill(1),
  state: 'active',
  type: 'regular',
  featureMask: 15n,
  serverGroup: '0a',
  issueDateMs: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  lastLoginMs: Date.UTC(2026, 10, 27, 1, 0, 0, 0),
  mobileNoHash: new Uint8Array(0),
  emailHash: new Uint8Array(32).fill(0xee),
  revocationKeySet: true,
  revocationKeyLastChangedMs: Date.UTC(2026, 5, 1),
  pendingLinks: [
    { kind: 'mobileNo', hash: new Uint8Array(32).fill(0x33), expiresAtMs: Date.UTC(2030, 0, 1) },
  ],
  ...extra,
});

const mailboxInventory: MailboxInventory = {
  queuedMessages: 3,
  oldestQueuedAtMs: Date.UTC(2026, 10, 26),
  deviceCookie: new Uint8Array(16).fill(0x0c),
  deviceCookieChangePending: true,
};

function setup(limit = 2, directory = directoryInventory('ALICE001')) {
  const sources = {
    directory: {
      inventoryOf: jest.fn((id: string) =>
        Promise.resolve(id === directory.identity ? directory : undefined),
      ),
    },
    push: {
      tokensOf: jest.fn(() =>
        Promise.resolve([
          {
            deviceId: 0xffffffffffffffffn,
            voipToken: { tokenType: 0x02, data: Buffer.from('voip'), setAtMs: 2000 },
          },
          { deviceId: 1n, pushToken: { tokenType: 0x11, data: Buffer.from('fcm'), setAtMs: 1000 } },
        ]),
      ),
    },
    mailbox: { inventoryOf: jest.fn(() => Promise.resolve(mailboxInventory)) },
  };
  const limiter = new SlidingWindowLimiter({ limit, windowMs: 3_600_000 });
  const useCase = new AnswerCommandUseCase(sources.directory, sources.push, sources.mailbox, limiter);
  return { useCase, sources };
}

describe('AnswerCommandUseCase', () => {
  it('answers info with the JSON of spec §8.1 in the documented formats', async () => {
    const { useCase } = setup();
    const reply = await useCase.execute('ALICE001', '  Info ');
    expect(reply.kind).toBe(ReplyKind.Export);
    expect(JSON.parse(reply.text)).toEqual({
      identity: 'ALICE001',
      publicKey: Buffer.alloc(32, 1).toString('base64'),
      issueDate: '2026-01-02T03:04:05.006Z',
      lastLogin: '2026-11-27T01:00:00.000Z',
      mobileNoHash: null,
      emailHash: Buffer.alloc(32, 0xee).toString('base64'),
      featureMask: 15,
      state: 'active',
      type: 'regular',
      serverGroup: '0a',
      pushtokens: [
        {
          device_id: 'AAAAAAAAAAE=',
          push_token: {
            data: Buffer.from('fcm').toString('base64'),
            timestamp: '1970-01-01T00:00:01.000Z',
            type: 0x11,
          },
          voip_token: null,
        },
        {
          device_id: '//////////8=',
          push_token: null,
          voip_token: {
            data: Buffer.from('voip').toString('base64'),
            timestamp: '1970-01-01T00:00:02.000Z',
            type: 2,
          },
        },
      ],
      pushsound: null,
      pushgroupsound: null,
      revocationKey: { set: true, lastChanged: '2026-06-01T00:00:00.000Z' },
      pendingLinks: [
        {
          kind: 'mobileNo',
          hash: Buffer.alloc(32, 0x33).toString('base64'),
          expires: '2030-01-01T00:00:00.000Z',
        },
      ],
      mailbox: {
        queuedMessages: 3,
        oldestQueuedAt: '2026-11-26T00:00:00.000Z',
        deviceCookie: Buffer.alloc(16, 0x0c).toString('base64'),
        deviceCookieChangePending: true,
      },
    });
  });

  it.each(['help', 'HELP', 'hello', '', 'info please'])('answers %j with the help text', async (text) => {
    const { useCase, sources } = setup();
    await expect(useCase.execute('ALICE001', text)).resolves.toEqual({
      kind: ReplyKind.Help,
      text: HELP_TEXT,
    });
    expect(sources.directory.inventoryOf).not.toHaveBeenCalled();
  });

  it('refuses exports beyond the per-identity limit with a text, without affecting other identities', async () => {
    const { useCase } = setup(2);
    expect((await useCase.execute('ALICE001', 'info')).kind).toBe(ReplyKind.Export);
    expect((await useCase.execute('ALICE001', 'info')).kind).toBe(ReplyKind.Export);
    const refused = await useCase.execute('ALICE001', 'info');
    expect(refused.kind).toBe(ReplyKind.RateLimited);
    expect(refused.text).toMatch(/^Too many export requests\. Please try again in \d+ minutes?\.$/);
    // another identity keeps its own budget; help is never limited
    expect((await useCase.execute('BOB00001', 'info')).kind).toBe(ReplyKind.NoData);
    expect((await useCase.execute('ALICE001', 'help')).kind).toBe(ReplyKind.Help);
  });

  it('exports nothing for a revoked or unknown identity', async () => {
    const { useCase, sources } = setup(5, directoryInventory('REVOKED1', { state: 'revoked' }));
    expect(await useCase.execute('REVOKED1', 'info')).toEqual({
      kind: ReplyKind.NoData,
      text: 'No data is stored for this identity.',
    });
    expect((await useCase.execute('UNKNOWN1', 'info')).kind).toBe(ReplyKind.NoData);
    expect(sources.push.tokensOf).not.toHaveBeenCalled();
    expect(sources.mailbox.inventoryOf).not.toHaveBeenCalled();
  });

  it('answers with a text when a source service fails', async () => {
    const { useCase, sources } = setup();
    sources.mailbox.inventoryOf.mockRejectedValueOnce(new Error('UNAVAILABLE'));
    const reply = await useCase.execute('ALICE001', 'info');
    expect(reply.kind).toBe(ReplyKind.Unavailable);
    expect(reply.text).not.toContain('UNAVAILABLE');
  });
});
