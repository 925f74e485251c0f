import {
  parseSystemIdentities,
  RegisterSystemIdentitiesUseCase,
  type SystemIdentity,
} from './system-identities';

const key = Buffer.alloc(32, 7).toString('base64');

describe('parseSystemIdentities', () => {
  it('reads comma-separated <*ID>:<base64 key> entries', () => {
    const parsed = parseSystemIdentities(` *MY3DATA:${key} , *SUPPORT:${key}`);
    expect(parsed.map((entry) => entry.id)).toEqual(['*MY3DATA', '*SUPPORT']);
    expect(Buffer.from(parsed[0]?.publicKey ?? []).equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('is empty for an empty value', () => {
    expect(parseSystemIdentities('')).toEqual([]);
  });

  it.each([
    ['no separator', '*MY3DATA'],
    ['an ordinary ID', `ABCD1234:${key}`],
    ['a lower-case ID', `*my3data:${key}`],
    ['a short key', `*MY3DATA:${Buffer.alloc(16).toString('base64')}`],
    ['a duplicate', `*MY3DATA:${key},*MY3DATA:${key}`],
  ])('refuses %s without echoing the value', (_name, value) => {
    let message = '';
    try {
      parseSystemIdentities(value);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^entry \d/);
    expect(message).not.toContain(key);
  });
});

describe('RegisterSystemIdentitiesUseCase', () => {
  it('upserts each identity with the configured server group and counts changes', async () => {
    const calls: [string, string][] = [];
    const store = {
      upsertSystemIdentity: (identity: SystemIdentity, group: string) => {
        calls.push([identity.id, group]);
        return Promise.resolve(identity.id === '*MY3DATA');
      },
    };
    const identities = parseSystemIdentities(`*MY3DATA:${key},*SUPPORT:${key}`);
    await expect(new RegisterSystemIdentitiesUseCase(store, '0a').execute(identities)).resolves.toBe(1);
    expect(calls).toEqual([
      ['*MY3DATA', '0a'],
      ['*SUPPORT', '0a'],
    ]);
  });

  it('refuses an ordinary ID handed in directly', async () => {
    const store = { upsertSystemIdentity: jest.fn() };
    await expect(
      new RegisterSystemIdentitiesUseCase(store, '00').execute([
        { id: 'ABCD1234', publicKey: new Uint8Array(32) },
      ]),
    ).rejects.toThrow('not a system identity');
    expect(store.upsertSystemIdentity).not.toHaveBeenCalled();
  });
});
