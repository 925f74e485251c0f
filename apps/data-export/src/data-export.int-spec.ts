import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  connectCsp,
  type CreatedIdentity,
  DirectoryClient,
  Messenger,
  MY3DATA_IDENTITY,
  PublicKeyCache,
} from '@ots/client';
import { generateX25519KeyPair } from '@ots/crypto';
import { findWorkspaceRoot, runMigrations } from '@ots/db-tools';
import { type RunningService, startService } from '@ots/service-kit';
import {
  type BuiltServiceProcess,
  freePort,
  spawnBuiltService,
  startNats,
  startPostgres,
  type TestNats,
  type TestPostgres,
  waitFor,
  waitForBuiltServiceReady,
} from '@ots/testing';
import { Pool } from 'pg';

import { decodedBody, FakeSmtp } from '../test/fake-smtp';
import { loadDataExportConfig } from './config';
import { HELP_TEXT } from './domain/answer-command.usecase';
import { deviceIdBase64 } from './domain/export-document';
import { dataExportService } from './service';

// spec §7.1 token formats: FCM (0x11) on device 1, APNs with mutable-content (0x05) on device 2
const FCM = 0x11;
const APNS = 0x05;
const fcmToken = Buffer.from('fcm-registration-token-0001', 'ascii');
const apnsToken = Buffer.concat([
  Buffer.alloc(32, 0xa7),
  Buffer.from('|ch.threema.iapp|', 'ascii'),
  Buffer.alloc(32, 0x5e),
]);
const DEVICE_ONE = 0x0102030405060708n;
const DEVICE_TWO = 0xfedcba9876543210n;

interface ExportJson {
  identity: string;
  publicKey: string;
  issueDate: string;
  lastLogin: string | null;
  mobileNoHash: string | null;
  emailHash: string | null;
  featureMask: number;
  pushtokens: {
    device_id: string;
    push_token: { data: string; timestamp: string; type: number } | null;
    voip_token: { data: string; timestamp: string; type: number } | null;
  }[];
  pushsound: null;
  pushgroupsound: null;
  revocationKey: { set: boolean; lastChanged: string | null };
  pendingLinks: unknown[];
  mailbox: {
    queuedMessages: number;
    oldestQueuedAt: string | null;
    deviceCookie: string | null;
    deviceCookieChangePending: boolean;
  };
}

describe('*MY3DATA end to end (real PostgreSQL, NATS, directory, mailbox, push processes; data-export in-process)', () => {
  let postgres: TestPostgres;
  let nats: TestNats;
  let smtp: FakeSmtp;
  let db: Pool;
  const processes: BuiltServiceProcess[] = [];
  let dataExport: RunningService;
  let directoryClient: DirectoryClient;
  let publicKeys: PublicKeyCache;
  let login: { host: string; port: number; serverPublicKey: Uint8Array };
  let my3dataSecretKey: Uint8Array;
  let keys = '';
  const opened: Messenger[] = [];

  /** data-export runs in this process: ready once NATS is connected and its bot has logged in */
  async function waitReady(httpPort: number, name: string): Promise<void> {
    await waitFor(
      async () => {
        try {
          return (await fetch(`http://127.0.0.1:${String(httpPort)}/readyz`)).ok;
        } catch {
          return false;
        }
      },
      { timeoutMs: 60_000, description: `${name} /readyz` },
    );
  }

  beforeAll(async () => {
    [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
    await runMigrations({ databaseUrl: postgres.url });
    db = new Pool({ connectionString: postgres.url, max: 2, idleTimeoutMillis: 1_000 });
    // an idle connection the server drops must not crash the suite: the pool reconnects on the next query, and a
    // server that is really gone fails that query with a clear error
    db.on('error', () => undefined);
    smtp = new FakeSmtp();
    const smtpPort = await freePort();
    await smtp.listen(smtpPort);

    keys = mkdtempSync(join(tmpdir(), 'ots-data-export-'));
    const serverKeys = generateX25519KeyPair();
    const my3dataKeys = generateX25519KeyPair();
    my3dataSecretKey = my3dataKeys.secretKey;
    const cspKeyFile = join(keys, 'csp.key');
    const my3dataKeyFile = join(keys, 'my3data.key');
    writeFileSync(cspKeyFile, Buffer.from(serverKeys.secretKey).toString('hex'), { mode: 0o600 });
    writeFileSync(my3dataKeyFile, Buffer.from(my3dataKeys.secretKey).toString('hex'), { mode: 0o600 });

    const [dirHttp, dirGrpc, mbHttp, mbGrpc, csp, pushHttp, pushGrpc, exportHttp] = await Promise.all(
      Array.from({ length: 8 }, () => freePort()),
    );
    const root = findWorkspaceRoot();
    const common = { NATS_URL: nats.url, HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'warn', OTS_SITE: 'e2e' };
    const directory = spawnBuiltService(root, 'directory', {
      ...common,
      HTTP_PORT: String(dirHttp),
      DATABASE_URL: postgres.url,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(dirGrpc),
      DIRECTORY_PUBLIC_URL: `http://127.0.0.1:${String(dirHttp)}/`,
      DIRECTORY_SMTP_HOST: '127.0.0.1',
      DIRECTORY_SMTP_PORT: String(smtpPort),
      DIRECTORY_SYSTEM_IDENTITIES: `${MY3DATA_IDENTITY}:${Buffer.from(my3dataKeys.publicKey).toString('base64')}`,
    });
    const push = spawnBuiltService(root, 'push', {
      ...common,
      HTTP_PORT: String(pushHttp),
      DATABASE_URL: postgres.url,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(pushGrpc),
    });
    processes.push(directory, push);
    await Promise.all([
      waitForBuiltServiceReady(directory, 'directory', dirHttp, 60_000),
      waitForBuiltServiceReady(push, 'push', pushHttp, 60_000),
    ]);
    const mailbox = spawnBuiltService(root, 'mailbox', {
      ...common,
      HTTP_PORT: String(mbHttp),
      DATABASE_URL: postgres.url,
      DIRECTORY_GRPC_URL: `127.0.0.1:${String(dirGrpc)}`,
      PUSH_GRPC_URL: `127.0.0.1:${String(pushGrpc)}`,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(mbGrpc),
      CSP_SERVER_SECRET_KEY_FILE: cspKeyFile,
      CSP_HOST: '127.0.0.1',
      CSP_PORT: String(csp),
    });
    processes.push(mailbox);
    await waitForBuiltServiceReady(mailbox, 'mailbox', mbHttp, 60_000);

    dataExport = await startService(
      dataExportService,
      loadDataExportConfig({
        ...common,
        HTTP_PORT: String(exportHttp),
        DIRECTORY_GRPC_URL: `127.0.0.1:${String(dirGrpc)}`,
        PUSH_GRPC_URL: `127.0.0.1:${String(pushGrpc)}`,
        MAILBOX_GRPC_URL: `127.0.0.1:${String(mbGrpc)}`,
        MAILBOX_CSP_HOST: '127.0.0.1',
        MAILBOX_CSP_PORT: String(csp),
        MAILBOX_CSP_PUBLIC_KEY: Buffer.from(serverKeys.publicKey).toString('base64'),
        MY3DATA_SECRET_KEY_FILE: my3dataKeyFile,
        DATA_EXPORT_PER_IDENTITY_PER_HOUR: '3',
        DATA_EXPORT_RECONNECT_MS: '200',
      }),
      { service: 'data-export', version: 'test' },
    );
    await waitReady(exportHttp, 'data-export');

    directoryClient = new DirectoryClient({ baseUrl: `http://127.0.0.1:${String(dirHttp)}/` });
    // the client pins *MY3DATA's key as it would from the provisioning file's systemIdentities
    publicKeys = new PublicKeyCache(directoryClient, new Map([[MY3DATA_IDENTITY, my3dataKeys.publicKey]]));
    login = { host: '127.0.0.1', port: csp, serverPublicKey: serverKeys.publicKey };
  }, 240_000);

  afterAll(async () => {
    await Promise.all(opened.map((messenger) => messenger.close().catch(() => undefined)));
    await dataExport.stop();
    for (const child of processes) child.child.kill('SIGTERM');
    await Promise.all(processes.map((child) => child.exited));
    await db.end();
    await smtp.stop();
    await Promise.all([nats.stop(), postgres.stop()]);
    rmSync(keys, { recursive: true, force: true });
  });

  async function messengerOf(
    user: CreatedIdentity,
    options: { deviceId?: bigint; deviceCookie?: Uint8Array } = {},
  ) {
    const messenger = await Messenger.connect({
      connect: connectCsp,
      identity: user.identity,
      secretKey: user.secretKey,
      publicKeys,
      login: { ...login, ...options },
    });
    opened.push(messenger);
    // with a csp-device-id the server holds incoming messages back until the client unblocks them (0x03)
    if (options.deviceId !== undefined) messenger.session.unblockIncomingMessages();
    return messenger;
  }

  async function closeMessenger(messenger: Messenger): Promise<void> {
    await messenger.close();
    opened.splice(opened.indexOf(messenger), 1);
  }

  async function linkEmail(user: CreatedIdentity, email: string): Promise<void> {
    const before = smtp.messages.length;
    await expect(directoryClient.linkEmail(user, email)).resolves.toEqual({ linked: false });
    await waitFor(() => smtp.messages.length > before, {
      timeoutMs: 15_000,
      description: 'verification mail',
    });
    const link = /(http:\/\/127\.0\.0\.1:\d+\/identity\/link_email\/verify\?id=[\w-]+&token=[\w-]+)/.exec(
      decodedBody(smtp.messages[before] ?? ''),
    );
    expect(link).not.toBeNull();
    expect((await fetch(link?.[1] ?? '')).ok).toBe(true);
    await expect(directoryClient.isEmailLinked(user.identity, email)).resolves.toBe(true);
  }

  /** the `n` of a `SELECT count(*) AS n …` */
  const countOf = async (sql: string, params: unknown[]): Promise<number> =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n);
  const b64 = (value: Buffer | null): string | null => (value === null ? null : value.toString('base64'));
  const isoOrNull = (value: Date | null): string | null => (value === null ? null : value.toISOString());

  it('answers info with JSON equal to what the databases hold, and lastLogin moves with each login', async () => {
    const alice = await directoryClient.createIdentity();
    await linkEmail(alice, 'alice@example.org');
    const before = await db.query<{ last_login_at: Date | null }>(
      'SELECT last_login_at FROM directory.identity WHERE id = $1',
      [alice.identity],
    );
    expect(before.rows[0]?.last_login_at).toBeNull();

    // two devices, two token types: FCM on both slots of device 1 (as Android does), APNs on device 2
    const deviceOne = await messengerOf(alice, { deviceId: DEVICE_ONE });
    deviceOne.session.setPushToken(FCM, fcmToken);
    deviceOne.session.setPushToken(FCM, fcmToken, true);
    await deviceOne.session.echo();
    await closeMessenger(deviceOne);
    const cookie = Buffer.alloc(16, 0xc0);
    // logins are recorded in batches, so the export must wait for this one, not only for device one's
    const lastLoginAfter = new Date();
    const deviceTwo = await messengerOf(alice, { deviceId: DEVICE_TWO, deviceCookie: cookie });
    deviceTwo.session.setPushToken(APNS, apnsToken);
    await waitFor(
      async () =>
        Number(
          (
            await db.query<{ n: string }>('SELECT count(*) AS n FROM push.push_token WHERE identity = $1', [
              alice.identity,
            ])
          ).rows[0]?.n,
        ) === 3,
      { timeoutMs: 15_000, description: 'three push tokens stored' },
    );
    await waitFor(
      async () =>
        ((
          await db.query<{ last_login_at: Date | null }>(
            'SELECT last_login_at FROM directory.identity WHERE id = $1',
            [alice.identity],
          )
        ).rows[0]?.last_login_at?.getTime() ?? 0) >= lastLoginAfter.getTime(),
      { timeoutMs: 15_000, description: 'last login (device two) recorded' },
    );

    const first = (await deviceTwo.requestDataExport(20_000)) as ExportJson;
    const identityRow = (
      await db.query<{
        id: string;
        public_key: Buffer;
        created_at: Date;
        last_login_at: Date | null;
        email_hash: Buffer | null;
        mobile_no_hash: Buffer | null;
        feature_mask: string;
        revocation_key_hash: Buffer | null;
        revocation_key_changed_at: Date | null;
      }>('SELECT * FROM directory.identity WHERE id = $1', [alice.identity])
    ).rows[0];
    expect(identityRow.id).toBe(alice.identity);
    const tokenRows = (
      await db.query<{ device_id: string; slot: number; token_type: number; token: Buffer; set_at: Date }>(
        'SELECT device_id, slot, token_type, token, set_at FROM push.push_token WHERE identity = $1',
        [alice.identity],
      )
    ).rows;
    const cookieRow = (
      await db.query<{ cookie: Buffer; change_pending: boolean }>(
        'SELECT cookie, change_pending FROM mailbox.device_cookie WHERE identity = $1',
        [alice.identity],
      )
    ).rows[0];
    // the export was made before its answer existed; the answer is a queued message for a while (a live delivery
    // may even reach the client before its row is committed, and the ack's delete is batched), so it is left out
    const queued = (
      await db.query<{ n: string; oldest: Date | null }>(
        'SELECT count(*) AS n, min(queued_at) AS oldest FROM mailbox.queued_message WHERE receiver = $1 AND sender <> $2',
        [alice.identity, MY3DATA_IDENTITY],
      )
    ).rows[0];

    const exportedToken = (deviceId: bigint, slot: number) => {
      const row = tokenRows.find(
        (r) => BigInt.asUintN(64, BigInt(r.device_id)) === deviceId && r.slot === slot,
      );
      return row === undefined
        ? null
        : { data: row.token.toString('base64'), timestamp: row.set_at.toISOString(), type: row.token_type };
    };
    expect(first).toEqual({
      identity: identityRow.id,
      publicKey: identityRow.public_key.toString('base64'),
      issueDate: identityRow.created_at.toISOString(),
      lastLogin: isoOrNull(identityRow.last_login_at),
      mobileNoHash: b64(identityRow.mobile_no_hash),
      emailHash: b64(identityRow.email_hash),
      featureMask: Number(identityRow.feature_mask),
      state: 'active',
      type: 'regular',
      serverGroup: expect.stringMatching(/^[0-9a-f]{2}$/) as unknown,
      pushtokens: [
        {
          device_id: deviceIdBase64(DEVICE_ONE),
          push_token: exportedToken(DEVICE_ONE, 1),
          voip_token: exportedToken(DEVICE_ONE, 2),
        },
        { device_id: deviceIdBase64(DEVICE_TWO), push_token: exportedToken(DEVICE_TWO, 1), voip_token: null },
      ],
      pushsound: null,
      pushgroupsound: null,
      revocationKey: {
        set: identityRow.revocation_key_hash !== null,
        lastChanged: isoOrNull(identityRow.revocation_key_changed_at),
      },
      pendingLinks: [],
      mailbox: {
        queuedMessages: Number(queued.n),
        oldestQueuedAt: isoOrNull(queued.oldest),
        deviceCookie: b64(cookieRow.cookie),
        deviceCookieChangePending: cookieRow.change_pending,
      },
    });
    // the values themselves, not only their agreement with the tables
    expect(first.identity).toBe(alice.identity);
    expect(first.publicKey).toBe(Buffer.from(alice.publicKey).toString('base64'));
    expect(first.emailHash).not.toBeNull();
    expect(first.pushtokens[0]?.push_token).toMatchObject({ data: fcmToken.toString('base64'), type: FCM });
    expect(first.pushtokens[0]?.voip_token).toMatchObject({ data: fcmToken.toString('base64'), type: FCM });
    expect(first.pushtokens[1]?.push_token).toMatchObject({ data: apnsToken.toString('base64'), type: APNS });
    expect(first.mailbox.deviceCookie).toBe(cookie.toString('base64'));
    expect(first.lastLogin).not.toBeNull();

    // log in again: lastLogin moves forward, and the export shows the new time
    await closeMessenger(deviceTwo);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await messengerOf(alice, { deviceId: DEVICE_TWO, deviceCookie: cookie });
    await waitFor(
      async () =>
        (
          await db.query<{ last_login_at: Date | null }>(
            'SELECT last_login_at FROM directory.identity WHERE id = $1',
            [alice.identity],
          )
        ).rows[0]?.last_login_at?.toISOString() !== first.lastLogin,
      { timeoutMs: 15_000, description: 'second login recorded' },
    );
    const second = (await again.requestDataExport(20_000)) as ExportJson;
    const lastLogin = (
      await db.query<{ last_login_at: Date }>('SELECT last_login_at FROM directory.identity WHERE id = $1', [
        alice.identity,
      ])
    ).rows[0].last_login_at;
    expect(second.lastLogin).toBe(lastLogin.toISOString());
    expect(Date.parse(second.lastLogin ?? '')).toBeGreaterThan(Date.parse(first.lastLogin ?? ''));
  }, 120_000);

  it('answers help and unknown commands with the help text', async () => {
    const bob = await directoryClient.createIdentity();
    const messenger = await messengerOf(bob);
    expect((await messenger.request(MY3DATA_IDENTITY, 'help', 20_000)).text).toBe(HELP_TEXT);
    expect((await messenger.request(MY3DATA_IDENTITY, 'what can you do?', 20_000)).text).toBe(HELP_TEXT);
  }, 60_000);

  it('refuses a flood of exports from one identity with a text and still serves another identity', async () => {
    const [carol, dave] = await Promise.all([
      directoryClient.createIdentity(),
      directoryClient.createIdentity(),
    ]);
    const carolMessenger = await messengerOf(carol);
    const daveMessenger = await messengerOf(dave);
    const replies: string[] = [];
    for (let i = 0; i < 5; i += 1)
      replies.push((await carolMessenger.request(MY3DATA_IDENTITY, 'info', 20_000)).text);
    const exports = replies.filter((text) => text.startsWith('{'));
    const refusals = replies.filter((text) => text.startsWith('Too many export requests.'));
    expect(exports).toHaveLength(3);
    expect(refusals).toHaveLength(2);
    const daveExport = (await daveMessenger.requestDataExport(20_000)) as ExportJson;
    expect(daveExport.identity).toBe(dave.identity);
  }, 90_000);

  it('exports nothing for a revoked identity: it cannot log in to ask, and its rows hold only the revocation', async () => {
    const erin = await directoryClient.createIdentity();
    await linkEmail(erin, 'erin@example.org');
    const erinMessenger = await messengerOf(erin, { deviceId: 7n });
    erinMessenger.session.setPushToken(FCM, fcmToken);
    await waitFor(
      async () =>
        Number(
          (
            await db.query<{ n: string }>('SELECT count(*) AS n FROM push.push_token WHERE identity = $1', [
              erin.identity,
            ])
          ).rows[0]?.n,
        ) === 1,
      { timeoutMs: 15_000, description: 'token stored' },
    );
    await closeMessenger(erinMessenger);
    await directoryClient.revoke(erin);

    await expect(messengerOf(erin)).rejects.toThrow();
    const row = (
      await db.query<{
        state: number;
        email_hash: Buffer | null;
        mobile_no_hash: Buffer | null;
        revocation_key_hash: Buffer | null;
      }>(
        'SELECT state, email_hash, mobile_no_hash, revocation_key_hash FROM directory.identity WHERE id = $1',
        [erin.identity],
      )
    ).rows[0];
    expect(row).toEqual({ state: 2, email_hash: null, mobile_no_hash: null, revocation_key_hash: null });
    // push and the mailbox drop what they held of it on the revocation event
    await waitFor(
      async () =>
        (await countOf('SELECT count(*) AS n FROM push.push_token WHERE identity = $1', [erin.identity])) ===
        0,
      { timeoutMs: 10_000, description: 'push tokens of the revoked identity deleted' },
    );
    expect(
      await countOf('SELECT count(*) AS n FROM mailbox.device_cookie WHERE identity = $1', [erin.identity]),
    ).toBe(0);
    expect(
      await countOf('SELECT count(*) AS n FROM mailbox.queued_message WHERE receiver = $1', [erin.identity]),
    ).toBe(0);
    expect(
      Number(
        (
          await db.query<{ n: string }>(
            'SELECT count(*) AS n FROM directory.pending_link WHERE identity_id = $1',
            [erin.identity],
          )
        ).rows[0]?.n,
      ),
    ).toBe(0);
  }, 90_000);

  it('logs in again after its connection drops and answers what arrived meanwhile', async () => {
    const frank = await directoryClient.createIdentity();
    const messenger = await messengerOf(frank);
    // a second login as *MY3DATA makes the chat server close the bot's connection (one connection per identity)
    const intruder = await connectCsp({
      ...login,
      identity: MY3DATA_IDENTITY,
      secretKey: my3dataSecretKey,
    });
    const intruderClosed = intruder.closed;
    // the bot logs in again (after DATA_EXPORT_RECONNECT_MS), which in turn closes the intruder
    await expect(intruderClosed).resolves.toBeDefined();
    expect((await messenger.request(MY3DATA_IDENTITY, 'help', 20_000)).text).toBe(HELP_TEXT);
  }, 60_000);
});
