import { connect as connectTcp, type Socket } from 'node:net';

import { type CspSession, cspTestHooks } from '@ots/client';
import { randomBytes } from '@ots/crypto';
import { PayloadType } from '@ots/protocol';
import { waitFor } from '@ots/testing';

import { Inbox, messageIdOf, testMessage } from '../test/messages';
import { type MailboxTestSystem, startMailboxSystem, type TestUser } from '../test/start-mailbox';

function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: '127.0.0.1', port }, () => {
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) {
      resolve(true);
      return;
    }
    const timer = setTimeout(() => {
      resolve(false);
    }, ms);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.resume();
  });
}

/**
 * Hostile input closes only the offending connection (with close-error where the protocol has one); two
 * bystanders keep chatting throughout, and messages queued for an offline user survive everything.
 */
describe('mailbox under hostile input', () => {
  let system: MailboxTestSystem;
  let alice: TestUser;
  let bob: TestUser;
  let offline: TestUser;
  let a: CspSession;
  let b: CspSession;
  const bobInbox = new Inbox();
  const queuedForOffline: Uint8Array[] = [];

  beforeAll(async () => {
    system = await startMailboxSystem({ CSP_HANDSHAKE_TIMEOUT_MS: '1000' });
    alice = system.user();
    bob = system.user();
    offline = system.user();
    a = await system.connect(alice);
    b = await system.connect(bob);
    b.onMessage(bobInbox.handler);
    for (let i = 0; i < 3; i += 1) {
      const message = testMessage(alice.identity, offline.identity);
      queuedForOffline.push(message);
      await a.sendMessage(message);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await system.stop();
  });

  /** The bystanders still chat: alice → bob delivered. */
  async function bystandersStillChat(): Promise<void> {
    const before = bobInbox.received.length;
    await a.sendMessage(testMessage(alice.identity, bob.identity));
    await waitFor(() => bobInbox.received.length === before + 1);
  }

  async function loggedIn(): Promise<{ session: CspSession; user: TestUser }> {
    const user = system.user();
    return { session: await system.connect(user), user };
  }

  it('closes a connection that sends random bytes instead of a handshake', async () => {
    const socket = await rawSocket(system.instances[0].cspPort);
    socket.write(randomBytes(48 + 144 + 500));
    expect(await closedWithin(socket, 3_000)).toBe(true);
    await bystandersStillChat();
  });

  it('closes a connection that stops in the middle of the handshake (timeout)', async () => {
    const socket = await rawSocket(system.instances[0].cspPort);
    socket.write(randomBytes(20));
    expect(await closedWithin(socket, 3_000)).toBe(true);
    await bystandersStillChat();
  });

  it('survives a burst of 300 half-open connections', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 300 }, () => rawSocket(system.instances[0].cspPort)),
    );
    for (const socket of sockets.slice(0, 150)) socket.write(randomBytes(48));
    await bystandersStillChat();
    const closed = await Promise.all(sockets.map((socket) => closedWithin(socket, 5_000)));
    expect(closed.every(Boolean)).toBe(true);
    await bystandersStillChat();
  }, 30_000);

  it.each([
    [
      'a frame length above the 8192-byte limit',
      (hooks: ReturnType<typeof cspTestHooks>) => {
        hooks.sendRawBytes(Uint8Array.of(0xff, 0xff, 1, 2, 3));
      },
      /Protocol error/,
    ],
    [
      'a frame whose box does not authenticate',
      (hooks: ReturnType<typeof cspTestHooks>) => {
        const box = randomBytes(40);
        hooks.sendRawBytes(Buffer.concat([Uint8Array.of(box.length, 0), box]));
      },
      /does not authenticate/,
    ],
    [
      'a replayed frame',
      (hooks: ReturnType<typeof cspTestHooks>) => {
        const frame = hooks.sealFrame(PayloadType.echoRequest, randomBytes(8));
        hooks.sendRawBytes(frame);
        hooks.sendRawBytes(frame);
      },
      /does not authenticate/,
    ],
    [
      'reordered frames',
      (hooks: ReturnType<typeof cspTestHooks>) => {
        const first = hooks.sealFrame(PayloadType.echoRequest, randomBytes(8));
        const second = hooks.sealFrame(PayloadType.echoRequest, randomBytes(8));
        hooks.sendRawBytes(second);
        hooks.sendRawBytes(first);
      },
      /does not authenticate/,
    ],
    [
      'a message struct with a wrong metadata length',
      (hooks: ReturnType<typeof cspTestHooks>) => {
        const struct = Buffer.from(testMessage('AAAAAAAA', 'BBBBBBBB'));
        struct.writeUInt16LE(5, 30);
        hooks.sendContainer(PayloadType.outgoingMessage, struct);
      },
      /Protocol error/,
    ],
    [
      'a truncated message struct',
      (hooks: ReturnType<typeof cspTestHooks>) => {
        hooks.sendContainer(PayloadType.outgoingMessage, randomBytes(40));
      },
      /Protocol error/,
    ],
    [
      'an ack of the wrong length',
      (hooks: ReturnType<typeof cspTestHooks>) => {
        hooks.sendContainer(PayloadType.incomingMessageAck, randomBytes(15));
      },
      /Protocol error/,
    ],
    [
      'an idle timeout out of range',
      (hooks: ReturnType<typeof cspTestHooks>) => {
        hooks.sendContainer(PayloadType.setConnectionIdleTimeout, Uint8Array.of(1, 0));
      },
      /Protocol error/,
    ],
  ])('answers %s with close-error and closes only that connection', async (_name, attack, expected) => {
    const { session } = await loggedIn();
    attack(cspTestHooks(session));
    const closed = await session.closed;
    expect(closed.closeErrorMessage).toMatch(expected);
    await bystandersStillChat();
  });

  it('lost nothing that was queued: the offline user gets every message', async () => {
    const session = await system.connect(offline);
    const inbox = new Inbox();
    session.onMessage(inbox.handler);
    await session.queueSendComplete;
    expect(inbox.ids()).toEqual(queuedForOffline.map(messageIdOf));
    await session.close();
  });
});
