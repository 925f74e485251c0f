import { randomBytes } from 'node:crypto';

import { type CreatedIdentity, DirectoryClient, type MatchResult } from '@ots/client';
import { hashEmail } from '@ots/crypto';
import { waitFor } from '@ots/testing';
import { connect } from 'nats';
import { Client } from 'pg';

import { filesBelow, findOccurrences, type ScanSource } from './byte-scanner';
import { type E2eStack, startStack } from './stack';

// spec §11.1.2: contact hash vectors
const EMAIL_VECTOR = {
  address: 'test@threema.ch',
  hash: Buffer.from('1ea093239cc5f0e1b6ec81b866265b921f26dc4033025410063309f4d1a8ee2c', 'hex'),
};
const PHONE_VECTOR = {
  number: '41791234567',
  hash: Buffer.from('ad398f4d7ebe63c6550a486cc6e07f9baa09bd9d8b3d8cb9d9be106d35a7fdbc', 'hex'),
};

/** The text of a simple mail with quoted-printable soft breaks and escapes undone. */
function mailText(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('contact sync end to end (built directory + contact-sync, embedded PostgreSQL, NATS, SMTP)', () => {
  let stack: E2eStack;
  let directory: DirectoryClient;
  let contactSync: DirectoryClient;
  let searcher: CreatedIdentity;
  let vectorHolder: CreatedIdentity;

  beforeAll(async () => {
    stack = await startStack();
    directory = new DirectoryClient({ baseUrl: stack.directoryUrl });
    contactSync = new DirectoryClient({ baseUrl: stack.contactSyncUrl });
    searcher = await directory.createIdentity();
  }, 60_000);

  afterAll(async () => {
    await stack.stop();
  });

  /** identity/link_email through the real verification flow: the mail arrives over SMTP, its link is opened. */
  async function linkEmail(holder: CreatedIdentity, address: string): Promise<void> {
    const before = stack.mails.length;
    expect(await directory.linkEmail(holder, address)).toEqual({ linked: false });
    await waitFor(() => stack.mails.length > before, { timeoutMs: 10_000, description: 'verification mail' });
    const link = /(http:\/\/127\.0\.0\.1:\d+\/identity\/link_email\/verify\?id=[\w-]+&token=[\w-]+)/.exec(
      mailText(stack.mails[before]),
    );
    expect(link).not.toBeNull();
    const response = await fetch(link?.[1] ?? '');
    expect(response.status).toBe(200);
    await response.text();
    expect(await directory.isEmailLinked(holder.identity, address)).toBe(true);
  }

  /** identity/link_mobileno with the code from the SMS the local gateway received. */
  async function linkPhone(holder: CreatedIdentity, number: string): Promise<void> {
    const before = stack.smsTexts.length;
    const { verificationId } = await directory.linkMobileNo(holder, number);
    expect(verificationId).toEqual(expect.any(String));
    const code = /(\d{6})/.exec(stack.smsTexts[before])?.[1] ?? '';
    expect(code).toHaveLength(6);
    await directory.verifyMobileNo(verificationId ?? '', code);
  }

  async function match(emailHashes: Uint8Array[], mobileNoHashes: Uint8Array[] = []): Promise<MatchResult> {
    const matchToken = await contactSync.matchToken(searcher);
    return contactSync.match({ matchToken, emailHashes, mobileNoHashes });
  }

  const matchedIds = (result: MatchResult) => result.identities.map((m) => m.identity);

  /** Polls identity/match until `expected(ids)` holds; returns how long it took. Fails after `limitMs`. */
  async function untilMatch(
    hashes: Uint8Array[],
    expected: (ids: string[]) => boolean,
    limitMs: number,
  ): Promise<number> {
    const started = performance.now();
    await waitFor(async () => expected(matchedIds(await match(hashes))), {
      timeoutMs: limitMs,
      intervalMs: 20,
      description: 'match result',
    });
    return performance.now() - started;
  }

  it('matches a hash linked after contact-sync started within a second; unlinked, it stops matching', async () => {
    const holder = await directory.createIdentity();
    const address = `e2e-${randomBytes(6).toString('hex')}@example.org`;
    const hash = hashEmail(address);
    expect(matchedIds(await match([hash]))).toEqual([]);

    await linkEmail(holder, address);
    const linkedAfterMs = await untilMatch([hash], (ids) => ids.includes(holder.identity), 1000);
    expect(linkedAfterMs).toBeLessThan(1000);
    const [entry] = (await match([hash])).identities;
    expect(entry).toMatchObject({ identity: holder.identity });
    expect(Buffer.from(entry.publicKey)).toEqual(Buffer.from(holder.publicKey));
    expect(Buffer.from(entry.emailHash ?? [])).toEqual(Buffer.from(hash));

    // an empty address unlinks (spec §4.3)
    await directory.linkEmail(holder, '');
    expect(await directory.isEmailLinked(holder.identity, address)).toBe(false);
    const unlinkedAfterMs = await untilMatch([hash], (ids) => ids.length === 0, 1000);
    expect(unlinkedAfterMs).toBeLessThan(1000);
  });

  it('stops matching a revoked identity', async () => {
    const holder = await directory.createIdentity();
    const address = `e2e-${randomBytes(6).toString('hex')}@example.org`;
    const hash = hashEmail(address);
    await linkEmail(holder, address);
    await untilMatch([hash], (ids) => ids.includes(holder.identity), 1000);

    await directory.revoke(holder);
    expect((await directory.fetchIdentity(holder.identity).catch(() => null))?.state ?? 'gone').not.toBe(0);
    const revokedAfterMs = await untilMatch([hash], (ids) => ids.length === 0, 1000);
    expect(revokedAfterMs).toBeLessThan(1000);
  });

  it('matches the spec §11.1.2 hash vectors to the identity linked with those addresses', async () => {
    vectorHolder = await directory.createIdentity();
    await linkEmail(vectorHolder, EMAIL_VECTOR.address);
    await linkPhone(vectorHolder, PHONE_VECTOR.number);
    await untilMatch([EMAIL_VECTOR.hash], (ids) => ids.includes(vectorHolder.identity), 1000);

    const result = await match([EMAIL_VECTOR.hash], [PHONE_VECTOR.hash]);
    const entries = result.identities.filter((m) => m.identity === vectorHolder.identity);
    expect(entries.length).toBeGreaterThan(0);
    const emailHashes = entries.flatMap((m) =>
      m.emailHash ? [Buffer.from(m.emailHash).toString('hex')] : [],
    );
    const phoneHashes = entries.flatMap((m) =>
      m.mobileNoHash ? [Buffer.from(m.mobileNoHash).toString('hex')] : [],
    );
    expect(emailHashes).toContain(EMAIL_VECTOR.hash.toString('hex'));
    expect(phoneHashes).toContain(PHONE_VECTOR.hash.toString('hex'));
    expect(matchedIds(result).every((id) => id === vectorHolder.identity)).toBe(true);
  });

  it('writes a submitted hash nowhere: not in PostgreSQL files or WAL, NATS storage, or any process output', async () => {
    const marker = randomBytes(32);
    const result = await match(
      [EMAIL_VECTOR.hash, marker, hashEmail('nobody@example.org')],
      [PHONE_VECTOR.hash, randomBytes(32)],
    );
    // the request was served: the real hashes among it matched
    expect(matchedIds(result)).toContain(vectorHolder.identity);

    // everything reaches the files: PostgreSQL flushes its buffers, the services exit (output complete)
    const pg = new Client({ connectionString: stack.postgres.url });
    await pg.connect();
    try {
      await pg.query('CHECKPOINT');
    } finally {
      await pg.end();
    }
    await stack.stopServices();

    const postgresFiles = await filesBelow(stack.postgres.dataDir);
    // the directory's events travel on core NATS and nothing here uses JetStream, so NATS's storage directory
    // holds nothing of the test's own; prove the scanner reaches what would be stored there: a JetStream
    // message carrying the linked hash (not the marker) is found in it
    const nc = await connect({ servers: stack.nats.url });
    try {
      await (await nc.jetstreamManager()).streams.add({ name: 'E2E_SCAN_CHECK', subjects: ['e2e.scan'] });
      await nc.jetstream().publish('e2e.scan', EMAIL_VECTOR.hash);
    } finally {
      await nc.close();
    }
    let natsFiles: ScanSource[] = [];
    await waitFor(
      async () => {
        natsFiles = await filesBelow(stack.nats.storeDir);
        return findOccurrences(natsFiles, EMAIL_VECTOR.hash).length > 0;
      },
      { timeoutMs: 10_000, description: 'JetStream file store written' },
    );
    const { directory: dirProcess, contactSync: csProcess } = stack.processes;
    const outputs: ScanSource[] = [
      { name: 'directory stdout', bytes: Buffer.from(dirProcess.stdout(), 'utf8') },
      { name: 'directory stderr', bytes: Buffer.from(dirProcess.stderr(), 'utf8') },
      { name: 'contact-sync stdout', bytes: Buffer.from(csProcess.stdout(), 'utf8') },
      { name: 'contact-sync stderr', bytes: Buffer.from(csProcess.stderr(), 'utf8') },
      { name: 'postgres and nats-server output', bytes: Buffer.from(stack.serverLogs.join('\n'), 'utf8') },
    ];

    // the scanner works: a linked hash, which the directory does store, is found in PostgreSQL's files
    expect(findOccurrences(postgresFiles, EMAIL_VECTOR.hash).length).toBeGreaterThan(0);
    expect(postgresFiles.some((f) => f.name.includes('pg_wal'))).toBe(true);
    // the services logged at debug level: there was output to search
    expect(csProcess.stdout().split('\n').length).toBeGreaterThan(3);

    expect(findOccurrences([...postgresFiles, ...natsFiles, ...outputs], marker)).toEqual([]);
  });
});
