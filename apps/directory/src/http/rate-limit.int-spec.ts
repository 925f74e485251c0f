import { startDirectoryForTest, type TestDirectory } from '../../test/start-directory';

// Abuse limits (issue 3): identity creation and look-ups per source, signed calls per identity; 429 + Retry-After.
describe('directory abuse limits (real PostgreSQL and NATS)', () => {
  let directory: TestDirectory;

  beforeAll(async () => {
    directory = await startDirectoryForTest({
      DIRECTORY_CREATE_PER_SOURCE_PER_HOUR: '3',
      DIRECTORY_LOOKUPS_PER_SOURCE_PER_MINUTE: '10',
      DIRECTORY_SIGNED_PER_IDENTITY_PER_MINUTE: '2',
    });
  });

  afterAll(async () => {
    await directory.stop();
  });

  const url = (path: string) => directory.url(path);
  const post = (path: string, body: unknown) =>
    fetch(url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  async function expectLimited(response: Response): Promise<void> {
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await response.json()).toEqual({ success: false, error: 'Too many requests' });
  }

  it('limits identity creation per source', async () => {
    const publicKey = Buffer.alloc(32, 7).toString('base64');
    for (let i = 0; i < 3; i++) {
      const phaseOne = await post('identity/create', { publicKey });
      expect(phaseOne.status).toBe(200);
      expect(await phaseOne.json()).toHaveProperty('token');
    }
    await expectLimited(await post('identity/create', { publicKey }));
  });

  it('charges look-ups per identity asked for, across look-up endpoints', async () => {
    const eight = Array.from({ length: 8 }, (_, i) => `ABCDEFG${String(i)}`);
    expect((await post('identity/fetch_bulk', { identities: eight })).status).toBe(200);
    await expectLimited(await post('identity/check', { identities: ['ECHOECHO', 'ECHOECH2', 'ECHOECH3'] }));
    expect((await fetch(url('identity/ECHOECHO'))).status).toBe(404);
    expect((await fetch(url('identity/ECHOECHO'))).status).toBe(404);
    await expectLimited(await fetch(url('identity/ECHOECHO')));
  });

  it('limits signed calls per identity, independently for each identity', async () => {
    const call = (identity: string) => post('identity/set_featuremask', { identity, featureMask: 3 });
    expect((await call('LIMITED1')).status).not.toBe(429);
    expect((await call('LIMITED1')).status).not.toBe(429);
    await expectLimited(await call('LIMITED1'));
    expect((await call('LIMITED2')).status).not.toBe(429);
  });

  it('counts each refusal on /metrics by the limit that refused it, naming no identity or address', async () => {
    const refusals = async (): Promise<Record<string, number>> => {
      const text = await (await fetch(url('metrics'))).text();
      const lines = text.split('\n').filter((line) => line.startsWith('ots_directory_rate_limited_total'));
      // aggregates only: the one label besides service and site is the limit
      for (const line of lines) {
        expect(line).toMatch(
          /^ots_directory_rate_limited_total\{limit="[a-z_]+",service="directory",site="[^"]+"\} \d+$/,
        );
      }
      const counts: Record<string, number> = {};
      for (const line of lines) {
        counts[/limit="([a-z_]+)"/.exec(line)?.[1] ?? ''] = Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return counts;
    };
    /** Calls until refused (each limit is small here), so this test does not depend on the ones before it. */
    const untilRefused = async (call: () => Promise<Response>): Promise<void> => {
      for (let i = 0; i < 20; i++) if ((await call()).status === 429) return;
      throw new Error('never refused');
    };

    const before = await refusals();
    expect(Object.keys(before).sort()).toEqual([
      'create_per_source',
      'lookups_per_source',
      'signed_per_identity',
    ]);
    await untilRefused(() => post('identity/create', { publicKey: Buffer.alloc(32, 9).toString('base64') }));
    await untilRefused(() => fetch(url('identity/ECHOECHO')));
    await untilRefused(() => post('identity/set_featuremask', { identity: 'LIMITED3', featureMask: 3 }));
    await untilRefused(() => post('identity/set_featuremask', { identity: 'LIMITED3', featureMask: 3 }));
    expect(await refusals()).toEqual({
      create_per_source: before.create_per_source + 1,
      lookups_per_source: before.lookups_per_source + 1,
      signed_per_identity: before.signed_per_identity + 2,
    });
  });

  it('keeps health and metrics outside the limits', async () => {
    expect((await fetch(url('healthz'))).status).toBe(200);
    expect((await fetch(url('metrics'))).status).toBe(200);
  });
});
