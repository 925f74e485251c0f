import { generateX25519KeyPair } from '@ots/crypto';
import { MessageFlag } from '@ots/protocol';

import { InMemoryChatServer } from '../../test/in-memory-chat-server';
import { DirectoryClientError, DirectoryClientErrorCode } from '../directory/directory-error';
import type { DirectoryIdentity } from '../directory/directory-types';
import { E2eErrorCode } from '../e2e/e2e-error';
import { encryptTextMessage } from '../e2e/typed-messages';
import {
  type IncomingMessageProblem,
  Messenger,
  MY3DATA_IDENTITY,
  type ReceivedDeliveryReceipt,
  type ReceivedText,
} from './messenger';
import { MessengerError, MessengerErrorCode } from './messenger-error';
import { type IdentityFetcher, PublicKeyCache } from './public-key-cache';

interface Party {
  readonly identity: string;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

function party(identity: string): Party {
  return { identity, ...generateX25519KeyPair() };
}

/** The directory as the Messenger sees it: known identities, a look-up counter, and switchable failures. */
class FakeDirectory implements IdentityFetcher {
  readonly lookups: string[] = [];
  failWith: Error | undefined;
  private readonly keys = new Map<string, Uint8Array>();

  add(...parties: Party[]): this {
    for (const { identity, publicKey } of parties) this.keys.set(identity, publicKey);
    return this;
  }

  fetchIdentity(identity: string): Promise<DirectoryIdentity> {
    this.lookups.push(identity);
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    const publicKey = this.keys.get(identity);
    if (publicKey === undefined) {
      return Promise.reject(new DirectoryClientError(DirectoryClientErrorCode.NOT_FOUND, 'HTTP 404', 404));
    }
    return Promise.resolve({ identity, publicKey, featureMask: 0, state: 0, type: 0 });
  }
}

const login = { host: '127.0.0.1', port: 5222, serverPublicKey: new Uint8Array(32).fill(1) };

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Lets the messenger's sequential incoming chain run. */
async function settle(): Promise<void> {
  for (let round = 0; round < 20; round++) await new Promise((resolve) => setImmediate(resolve));
}

describe('Messenger over a CspSession', () => {
  const alice = party('ALICE001');
  const bob = party('BOB00002');
  const my3data = party(MY3DATA_IDENTITY);
  let server: InMemoryChatServer;
  let directory: FakeDirectory;

  beforeEach(() => {
    server = new InMemoryChatServer();
    directory = new FakeDirectory().add(alice, bob, my3data);
  });

  function connect(who: Party, extra: { nickname?: string; sendDeliveryReceipts?: boolean } = {}) {
    return Messenger.connect({
      connect: server.connect,
      login,
      identity: who.identity,
      secretKey: who.secretKey,
      publicKeys: new PublicKeyCache(directory),
      ...extra,
    });
  }

  function collectTexts(messenger: Messenger): ReceivedText[] {
    const texts: ReceivedText[] = [];
    messenger.onText((text) => {
      texts.push(text);
    });
    return texts;
  }

  it('logs in with the profile’s identity and key and the provisioned server', async () => {
    await connect(alice);
    expect(server.logins).toEqual([{ ...login, identity: alice.identity, secretKey: alice.secretKey }]);
  });

  it('delivers a text end to end, decrypted, and acks it so the server forgets it', async () => {
    const aliceMessenger = await connect(alice, { nickname: 'Alice' });
    const bobMessenger = await connect(bob);
    const texts = collectTexts(bobMessenger);

    const { messageId } = await aliceMessenger.sendText(bob.identity, 'Hello Bob');
    await settle();

    expect(texts).toEqual([
      {
        from: alice.identity,
        text: 'Hello Bob',
        messageId,
        createdAtMs: expect.any(Number) as unknown,
        nickname: 'Alice',
        flags: MessageFlag.SEND_PUSH_NOTIFICATION,
      },
    ]);
    expect(server.queued(bob.identity)).toHaveLength(0);
  });

  it('receives what was queued while offline, in order, then the server holds nothing', async () => {
    const aliceMessenger = await connect(alice);
    for (const text of ['one', 'two', 'three']) await aliceMessenger.sendText(bob.identity, text);
    expect(server.queued(bob.identity)).toHaveLength(3);

    const bobMessenger = await connect(bob);
    expect(bobMessenger.queuedAtLogin).toBe(3);
    const texts = collectTexts(bobMessenger);
    await bobMessenger.queueSendComplete;
    await settle();
    expect(texts.map((text) => text.text)).toEqual(['one', 'two', 'three']);
    expect(server.queued(bob.identity)).toHaveLength(0);
  });

  it('holds texts that arrive before the first handler, unacked, and hands them over once one is set', async () => {
    const aliceMessenger = await connect(alice);
    const bobMessenger = await connect(bob);
    await aliceMessenger.sendText(bob.identity, 'early');
    await settle();
    expect(server.queued(bob.identity)).toHaveLength(1);

    const texts = collectTexts(bobMessenger);
    await settle();
    expect(texts.map((text) => text.text)).toEqual(['early']);
    expect(server.queued(bob.identity)).toHaveLength(0);
  });

  it('does not ack a text whose handler failed; the next login gets it again', async () => {
    const aliceMessenger = await connect(alice);
    const bobMessenger = await connect(bob);
    const problems: IncomingMessageProblem[] = [];
    bobMessenger.onProblem((problem) => problems.push(problem));
    bobMessenger.onText(() => {
      throw new Error('disk full');
    });
    await aliceMessenger.sendText(bob.identity, 'keep me');
    await settle();
    expect(problems).toEqual([{ error: new Error('disk full'), dropped: false }]);
    expect(server.queued(bob.identity)).toHaveLength(1);

    await bobMessenger.close();
    const texts = collectTexts(await connect(bob));
    await settle();
    expect(texts.map((text) => text.text)).toEqual(['keep me']);
    expect(server.queued(bob.identity)).toHaveLength(0);
  });

  it('keeps processing the messages after one whose handler failed', async () => {
    const aliceMessenger = await connect(alice);
    const bobMessenger = await connect(bob);
    const texts: string[] = [];
    bobMessenger.onProblem(() => {
      throw new Error('the problem handler fails too');
    });
    bobMessenger.onText((text) => {
      if (text.text === 'first') throw new Error('cannot store');
      texts.push(text.text);
    });
    await aliceMessenger.sendText(bob.identity, 'first');
    await aliceMessenger.sendText(bob.identity, 'second');
    await settle();
    expect(texts).toEqual(['second']);
    expect(server.queued(bob.identity).map((item) => item.messageId)).toHaveLength(1);
  });

  it('drops (acks) a message from an identity the directory does not know, and reports it', async () => {
    const mallory = party('MALLORY1');
    const bobMessenger = await connect(bob);
    const texts = collectTexts(bobMessenger);
    const problems: IncomingMessageProblem[] = [];
    bobMessenger.onProblem((problem) => problems.push(problem));
    server.accept(
      mallory.identity,
      encryptTextMessage(
        {
          senderIdentity: mallory.identity,
          senderSecretKey: mallory.secretKey,
          receiverIdentity: bob.identity,
          receiverPublicKey: bob.publicKey,
          messageId: 1n,
          flags: 0,
        },
        'hi',
      ),
    );
    await settle();
    expect(texts).toHaveLength(0);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ dropped: true, error: { code: DirectoryClientErrorCode.NOT_FOUND } });
    expect(server.queued(bob.identity)).toHaveLength(0);
  });

  it('keeps a message queued when the sender’s key cannot be looked up for now (directory unreachable)', async () => {
    const aliceMessenger = await connect(alice);
    await aliceMessenger.sendText(bob.identity, 'later');
    directory.failWith = new DirectoryClientError(DirectoryClientErrorCode.NETWORK, 'fetch failed');
    const bobMessenger = await connect(bob);
    const problems: IncomingMessageProblem[] = [];
    bobMessenger.onProblem((problem) => problems.push(problem));
    const texts = collectTexts(bobMessenger);
    await settle();
    expect(texts).toHaveLength(0);
    expect(problems).toEqual([{ error: directory.failWith, dropped: false }]);
    expect(server.queued(bob.identity)).toHaveLength(1);
  });

  it('drops a message that does not decrypt (sender key does not match) and reports DECRYPTION_FAILED', async () => {
    const bobMessenger = await connect(bob);
    const texts = collectTexts(bobMessenger);
    const problems: IncomingMessageProblem[] = [];
    bobMessenger.onProblem((problem) => problems.push(problem));
    const impostor = generateX25519KeyPair();
    server.accept(
      alice.identity,
      encryptTextMessage(
        {
          senderIdentity: alice.identity,
          senderSecretKey: impostor.secretKey,
          receiverIdentity: bob.identity,
          receiverPublicKey: bob.publicKey,
          messageId: 2n,
          flags: 0,
        },
        'forged',
      ),
    );
    await settle();
    expect(texts).toHaveLength(0);
    expect(problems).toMatchObject([{ dropped: true, error: { code: E2eErrorCode.DECRYPTION_FAILED } }]);
    expect(server.queued(bob.identity)).toHaveLength(0);
  });

  it('delivers a message resent with the same message ID only once, acking both', async () => {
    const aliceMessenger = await connect(alice);
    const bobMessenger = await connect(bob);
    const texts = collectTexts(bobMessenger);
    await aliceMessenger.sendText(bob.identity, 'once', { messageId: 77n });
    await aliceMessenger.sendText(bob.identity, 'once', { messageId: 77n });
    await settle();
    expect(texts.map((text) => text.messageId)).toEqual([77n]);
    expect(server.queued(bob.identity)).toHaveLength(0);
  });

  it('answers with delivery receipts when configured, unless the sender set flag 0x80', async () => {
    const aliceMessenger = await connect(alice);
    const receipts: ReceivedDeliveryReceipt[] = [];
    aliceMessenger.onDeliveryReceipt((receipt) => receipts.push(receipt));
    const bobMessenger = await connect(bob, { sendDeliveryReceipts: true });
    collectTexts(bobMessenger);

    const { messageId } = await aliceMessenger.sendText(bob.identity, 'did you get this?');
    await aliceMessenger.sendText(bob.identity, 'no receipt please', {
      flags: MessageFlag.NO_DELIVERY_RECEIPTS,
    });
    await settle();
    expect(receipts).toEqual([{ from: bob.identity, status: 0x01, messageIds: [messageId] }]);
    expect(server.queued(alice.identity)).toHaveLength(0);
  });

  describe('request / *MY3DATA', () => {
    /** A *MY3DATA stand-in built on the SDK itself: answers "info" with JSON and anything else with help. */
    async function startDataExportBot(reply: (text: ReceivedText) => string): Promise<Messenger> {
      const bot = await connect(my3data);
      bot.onText(async (text) => {
        await bot.sendText(text.from, reply(text), { flags: 0 });
      });
      return bot;
    }

    it('sends "info" to *MY3DATA and returns the JSON reply, which does not reach the onText handlers', async () => {
      await startDataExportBot((text) =>
        text.text === 'info' ? JSON.stringify({ identity: text.from, featureMask: 0 }) : 'help',
      );
      const aliceMessenger = await connect(alice);
      const texts = collectTexts(aliceMessenger);
      expect(await aliceMessenger.requestDataExport()).toEqual({ identity: alice.identity, featureMask: 0 });
      await settle();
      expect(texts).toHaveLength(0);
      expect(server.queued(alice.identity)).toHaveLength(0);
    });

    it('reports a reply that is not JSON as UNEXPECTED_REPLY, carrying the text', async () => {
      await startDataExportBot(() => 'Commands: info, help');
      const aliceMessenger = await connect(alice);
      const error = await caught(aliceMessenger.requestDataExport());
      expect(error).toBeInstanceOf(MessengerError);
      expect(error).toMatchObject({
        code: MessengerErrorCode.UNEXPECTED_REPLY,
        replyText: 'Commands: info, help',
      });
    });

    it('times out when no reply comes, and a late reply then goes to the handlers', async () => {
      const aliceMessenger = await connect(alice);
      const texts = collectTexts(aliceMessenger);
      const error = await caught(aliceMessenger.request(MY3DATA_IDENTITY, 'info', 30));
      expect(error).toMatchObject({ code: MessengerErrorCode.TIMEOUT });

      const bot = await connect(my3data);
      await bot.sendText(alice.identity, 'late');
      await settle();
      expect(texts.map((text) => text.text)).toEqual(['late']);
    });

    it('fails a pending request when the connection closes, and refuses to send afterwards', async () => {
      const aliceMessenger = await connect(alice);
      const pending = caught(aliceMessenger.request(MY3DATA_IDENTITY, 'info', 5000));
      await settle();
      await aliceMessenger.close();
      expect(await pending).toMatchObject({ code: MessengerErrorCode.CLOSED });
      expect(await caught(aliceMessenger.sendText(bob.identity, 'x'))).toMatchObject({
        code: MessengerErrorCode.CLOSED,
      });
    });

    /** A session whose messages stay unacknowledged (a slow server) until `failSends` is called. */
    async function unackedSession(who: Party) {
      const session = await server.connect({ ...login, identity: who.identity, secretKey: who.secretKey });
      const pendingSends: ((error: Error) => void)[] = [];
      const held = Object.create(session) as typeof session;
      held.sendMessage = () => new Promise<void>((_, reject) => pendingSends.push(reject));
      return {
        session,
        messenger: Messenger.attach(held, {
          identity: who.identity,
          secretKey: who.secretKey,
          publicKeys: new PublicKeyCache(directory),
        }),
        failSends: () => {
          for (const reject of pendingSends.splice(0)) reject(new Error('connection closed'));
        },
      };
    }

    async function unhandledRejectionsDuring(work: () => Promise<void>): Promise<unknown[]> {
      const unhandled: unknown[] = [];
      const listener = (reason: unknown): void => {
        unhandled.push(reason);
      };
      process.on('unhandledRejection', listener);
      try {
        await work();
        await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        process.off('unhandledRejection', listener);
      }
      return unhandled;
    }

    it('fails a request whose message the server has not acked yet when the connection closes, leaving no unhandled rejection', async () => {
      const { session, messenger, failSends } = await unackedSession(alice);
      const unhandled = await unhandledRejectionsDuring(async () => {
        const pending = caught(messenger.request(MY3DATA_IDENTITY, 'info', 5000));
        await settle();
        await session.close();
        await settle();
        failSends();
        expect(await pending).toBeInstanceOf(Error);
      });
      expect(unhandled).toEqual([]);
    });

    it('times out a request whose message the server has not acked yet, leaving no unhandled rejection', async () => {
      const { messenger, failSends } = await unackedSession(alice);
      const unhandled = await unhandledRejectionsDuring(async () => {
        const pending = caught(messenger.request(MY3DATA_IDENTITY, 'info', 20));
        await new Promise((resolve) => setTimeout(resolve, 60));
        failSends();
        expect(await pending).toBeInstanceOf(Error);
      });
      expect(unhandled).toEqual([]);
    });

    it('refuses to talk to a system identity whose directory key differs from the pinned one', async () => {
      const pinned = new Map([[MY3DATA_IDENTITY, generateX25519KeyPair().publicKey]]);
      const aliceMessenger = await Messenger.connect({
        connect: server.connect,
        login,
        identity: alice.identity,
        secretKey: alice.secretKey,
        publicKeys: new PublicKeyCache(directory, pinned),
      });
      expect(await caught(aliceMessenger.sendText(MY3DATA_IDENTITY, 'info'))).toMatchObject({
        code: MessengerErrorCode.PINNED_KEY_MISMATCH,
      });
      expect(server.queued(MY3DATA_IDENTITY)).toHaveLength(0);
    });
  });

  it('closes the older session when the same identity logs in again', async () => {
    const first = await connect(alice);
    await connect(alice);
    expect(await first.closed).toEqual({ closeErrorMessage: 'Another connection for the same identity' });
  });

  it('wraps a session that is logged in already, and exposes it', async () => {
    const session = await server.connect({ ...login, identity: alice.identity, secretKey: alice.secretKey });
    const aliceMessenger = Messenger.attach(session, {
      identity: alice.identity,
      secretKey: alice.secretKey,
      publicKeys: new PublicKeyCache(directory),
    });
    expect(aliceMessenger.session).toBe(session);
    const texts = collectTexts(await connect(bob));
    await aliceMessenger.sendText(bob.identity, 'attached');
    await aliceMessenger.sendText(bob.identity, 'again');
    await settle();
    expect(texts.map((text) => text.text)).toEqual(['attached', 'again']);
  });

  it('refuses a receiver that is not a Threema ID', async () => {
    const aliceMessenger = await connect(alice);
    expect(await caught(aliceMessenger.sendText('bob', 'x'))).toMatchObject({
      code: MessengerErrorCode.INVALID_INPUT,
    });
  });
});

describe('PublicKeyCache', () => {
  const carol = party('CAROL003');

  it('asks the directory once per identity and never caches a failure', async () => {
    const directory = new FakeDirectory().add(carol);
    const cache = new PublicKeyCache(directory);
    directory.failWith = new Error('offline');
    await expect(cache.publicKeyOf(carol.identity)).rejects.toThrow('offline');
    directory.failWith = undefined;
    const [first, second] = await Promise.all([
      cache.publicKeyOf(carol.identity),
      cache.publicKeyOf(carol.identity),
    ]);
    expect(first).toEqual(carol.publicKey);
    expect(second).toEqual(carol.publicKey);
    await cache.publicKeyOf(carol.identity);
    expect(directory.lookups).toEqual([carol.identity, carol.identity]);
  });

  it('accepts a pinned identity whose directory key matches', async () => {
    const directory = new FakeDirectory().add(carol);
    const cache = new PublicKeyCache(directory, new Map([[carol.identity, carol.publicKey]]));
    expect(await cache.publicKeyOf(carol.identity)).toEqual(carol.publicKey);
  });

  it('evicts the oldest entry beyond its size limit', async () => {
    const dave = party('DAVE0004');
    const directory = new FakeDirectory().add(carol, dave);
    const cache = new PublicKeyCache(directory, new Map(), 1);
    await cache.publicKeyOf(carol.identity);
    await cache.publicKeyOf(dave.identity);
    await cache.publicKeyOf(carol.identity);
    expect(directory.lookups).toEqual([carol.identity, dave.identity, carol.identity]);
  });
});
