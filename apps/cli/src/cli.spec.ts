import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  DirectoryClientError,
  DirectoryClientErrorCode,
  loadProfile,
  Messenger,
  MY3DATA_IDENTITY,
  PublicKeyCache,
} from '@ots/client';
import { generateEd25519KeyPair, generateX25519KeyPair } from '@ots/crypto';
import { signOppf } from '@ots/protocol';

import { FakeDirectory } from '../test/fake-directory';
import { InMemoryChatServer } from '../test/in-memory-chat-server';
import { runCli } from './cli';
import type { CliDependencies } from './cli-context';

const signing = generateEd25519KeyPair();
const my3data = generateX25519KeyPair();

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

describe('cli', () => {
  let dataDir: string;
  let server: InMemoryChatServer;
  let directory: FakeDirectory;
  let stop: () => void;
  let stopRequested: Promise<void>;

  function writeProvisioning(pinnedMy3dataKey: Uint8Array = my3data.publicKey): void {
    const file = signOppf(
      {
        version: '1.0',
        refresh: 86_400,
        license: { id: 'test', expires: '2099-12-31', count: 10 },
        chat: { hostname: '127.0.0.1', publicKey: Buffer.alloc(32, 1).toString('base64'), ports: [5222] },
        directory: { url: 'http://127.0.0.1:8080/' },
        systemIdentities: [
          { identity: MY3DATA_IDENTITY, publicKey: Buffer.from(pinnedMy3dataKey).toString('base64') },
        ],
      },
      signing,
    );
    writeFileSync(join(dataDir, 'client-config.oppf'), file);
    writeFileSync(
      join(dataDir, 'oppf-signing.pub'),
      `${Buffer.from(signing.publicKey).toString('base64')}\n`,
    );
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ots-cli-'));
    server = new InMemoryChatServer();
    directory = new FakeDirectory();
    directory.add(MY3DATA_IDENTITY, my3data.publicKey);
    stopRequested = new Promise((resolve) => (stop = resolve));
    writeProvisioning();
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  function deps(overrides: Partial<CliDependencies> = {}): { deps: CliDependencies; output: () => Run } {
    const out: string[] = [];
    const err: string[] = [];
    const dependencies: CliDependencies = {
      connect: server.connect,
      directoryFor: (url) => {
        expect(url).toBe('http://127.0.0.1:8080/');
        return directory;
      },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: { OTS_DATA_DIR: dataDir },
      cwd: '/',
      stopRequested,
      ...overrides,
    };
    return { deps: dependencies, output: () => ({ code: -1, out: out.join('\n'), err: err.join('\n') }) };
  }

  async function cli(args: string[], overrides: Partial<CliDependencies> = {}): Promise<Run> {
    const { deps: dependencies, output } = deps(overrides);
    const code = await runCli(args, dependencies);
    return { ...output(), code };
  }

  async function createProfile(name: string): Promise<string> {
    const run = await cli(['create', '--profile', name]);
    expect(run.code).toBe(0);
    return loadProfile(join(dataDir, 'profiles', `${name}.json`)).identity;
  }

  /** A *MY3DATA stand-in on the SDK: answers every text with `reply`. */
  async function startBot(reply: (text: string, from: string) => string): Promise<void> {
    const bot = await Messenger.connect({
      connect: server.connect,
      login: { host: '127.0.0.1', port: 5222, serverPublicKey: new Uint8Array(32) },
      identity: MY3DATA_IDENTITY,
      secretKey: my3data.secretKey,
      publicKeys: new PublicKeyCache(directory),
    });
    bot.onText(async (text) => {
      await bot.sendText(text.from, reply(text.text, text.from), { flags: 0 });
    });
  }

  it('prints the usage for --help and without a command', async () => {
    for (const args of [['--help'], [], ['help']]) {
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.out).toContain('Usage: npm run cli -- <command>');
    }
  });

  it.each([
    [['bogus'], 'unknown command "bogus"'],
    [['send', 'ECHOECHO'], 'send needs a receiver ID and a text'],
    [['send', 'not-an-id', 'hi'], '"not-an-id" is not a Threema ID'],
    [['send', 'ECHOECHO', '   '], 'the text is empty'],
    [['whoami', 'extra'], 'whoami takes no arguments'],
    [['listen', '--count', '0'], '--count must be a whole number'],
    [['info', '--timeout', 'soon'], '--timeout must be a whole number'],
    [['create', '--colour'], "Unknown option '--colour'"],
    [['create', '--profile', 'a b'], '--profile must be a name'],
  ])('refuses %j with a usage error (exit 2)', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
    expect(run.err).toContain('Usage:');
  });

  it('creates an identity and stores it in a 0600 profile, refusing to overwrite it without --force', async () => {
    const run = await cli(['create', '--profile', 'alice']);
    expect(run).toMatchObject({
      code: 0,
      out: expect.stringContaining('Created identity TEST0001 (server group 4a).'),
    });
    const path = join(dataDir, 'profiles', 'alice.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ identity: 'TEST0001', serverGroup: '4a' });

    const again = await cli(['create', '--profile', 'alice']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('exists already');
    expect(directory.created).toEqual(['TEST0001']);

    expect((await cli(['create', '--profile', 'alice', '--force'])).code).toBe(0);
    expect(loadProfile(path).identity).toBe('TEST0002');
  });

  it('shows the profile with whoami, and whether the directory still knows it', async () => {
    const alice = await createProfile('alice');
    const run = await cli(['whoami', '--profile', 'alice']);
    expect(run.code).toBe(0);
    expect(run.out).toContain(`identity:     ${alice}`);
    expect(run.out).toContain('server group: 4a');
    expect(run.out).toContain('directory:    active, feature mask 0');
    expect(run.out).not.toContain('secret');

    directory.remove(alice);
    const revoked = await cli(['whoami', '--profile', 'alice']);
    expect(revoked.code).toBe(1);
    expect(revoked.out).toContain('directory:    unknown or revoked');
  });

  it('sends a text that a listening profile prints, acked so the server holds nothing', async () => {
    const alice = await createProfile('alice');
    const bob = await createProfile('bob');
    const listening = cli(['listen', '--profile', 'bob', '--count', '2']);
    const sent = await cli(['send', '--profile', 'alice', bob.toLowerCase(), 'Hello', 'Bob']);
    expect(sent.code).toBe(0);
    expect(sent.out).toMatch(new RegExp(`^Sent to ${bob} \\(message [0-9a-f]{16}\\)`));
    expect((await cli(['send', '--profile', 'alice', bob, 'bell\u0007 \u001b[31mred'])).code).toBe(0);

    const listened = await listening;
    expect(listened.code).toBe(0);
    expect(listened.out).toContain(`Listening as ${bob}`);
    expect(listened.out).toMatch(new RegExp(`\\] ${alice}: Hello Bob`));
    expect(listened.out).toContain(`${alice}: bell\uFFFD \uFFFD[31mred`);
    expect(server.queued(bob)).toHaveLength(0);
  });

  it('listens until asked to stop, and reports a connection closed by the server', async () => {
    await createProfile('bob');
    const stopped = cli(['listen', '--profile', 'bob']);
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    expect((await stopped).code).toBe(0);

    const replaced = cli(['listen', '--profile', 'bob'], { stopRequested: new Promise(() => undefined) });
    await new Promise((resolve) => setImmediate(resolve));
    await cli(['send', '--profile', 'bob', MY3DATA_IDENTITY, 'x'], { connect: server.connect });
    const run = await replaced;
    expect(run.code).toBe(1);
    expect(run.err).toContain('connection closed: Another connection');
  });

  it('prints the JSON *MY3DATA answers to "info"', async () => {
    const alice = await createProfile('alice');
    await startBot((text, from) =>
      text === 'info' ? JSON.stringify({ identity: from, featureMask: 0 }) : 'help',
    );
    const run = await cli(['info', '--profile', 'alice']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ identity: alice, featureMask: 0 });
  });

  it('prints what *MY3DATA said when it is not JSON, and fails', async () => {
    await createProfile('alice');
    await startBot(() => 'Commands: info, help');
    const run = await cli(['info', '--profile', 'alice']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('*MY3DATA did not answer with JSON; it said:\nCommands: info, help');
  });

  it('refuses *MY3DATA when the directory’s key differs from the one pinned in the provisioning file', async () => {
    await createProfile('alice');
    writeProvisioning(generateX25519KeyPair().publicKey);
    const run = await cli(['info', '--profile', 'alice', '--timeout', '1']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('differs from the pinned key');
    expect(server.queued(MY3DATA_IDENTITY)).toHaveLength(0);
  });

  it('explains a missing provisioning file or profile', async () => {
    const noConfig = await cli(['create', '--config', join(dataDir, 'elsewhere', 'missing.oppf')]);
    expect(noConfig.code).toBe(1);
    expect(noConfig.err).toContain('cannot read the pinned OPPF key file');

    rmSync(join(dataDir, 'client-config.oppf'));
    const create = await cli(['create']);
    expect(create.code).toBe(1);
    expect(create.err).toContain('cannot read the provisioning file');
    expect(create.err).toContain('npm start');

    writeProvisioning();
    const noProfile = await cli(['send', '--profile', 'nobody', 'ECHOECHO', 'hi']);
    expect(noProfile.code).toBe(1);
    expect(noProfile.err).toContain('Create one with: npm run cli -- create --profile <name>');
  });

  it('refuses a provisioning file signed by another key', async () => {
    writeFileSync(
      join(dataDir, 'oppf-signing.pub'),
      Buffer.from(generateEd25519KeyPair().publicKey).toString('base64'),
    );
    const run = await cli(['create']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('OPPF is signed with an untrusted key');
    expect(directory.created).toHaveLength(0);
  });

  it('says when the receiver or *MY3DATA is not in the directory', async () => {
    await createProfile('alice');
    const unknown = await cli(['send', '--profile', 'alice', 'NOSUCHID', 'hi']);
    expect(unknown).toMatchObject({
      code: 1,
      err: 'error: NOSUCHID is not in the directory (unknown or revoked)',
    });
    directory.remove(MY3DATA_IDENTITY);
    const noBot = await cli(['info', '--profile', 'alice']);
    expect(noBot.code).toBe(1);
    expect(noBot.err).toContain("*MY3DATA is not in this deployment's directory");
  });

  it('says when the directory cannot be reached', async () => {
    const unreachable = {
      createIdentity: () =>
        Promise.reject(
          new DirectoryClientError(DirectoryClientErrorCode.NETWORK, 'identity/create: fetch failed'),
        ),
      fetchIdentity: () => Promise.reject(new Error('not used')),
    };
    const run = await cli(['create'], { directoryFor: () => unreachable });
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      'error: cannot reach the directory (identity/create: fetch failed); is the system running (npm start)?',
    );
  });
});
