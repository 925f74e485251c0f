import { waitFor } from '@ots/testing';

import { Inbox, messageIdOf, testMessage } from '../test/messages';
import {
  type MailboxTestSystem,
  type ProcessInstance,
  startMailboxSystem,
  type TestUser,
} from '../test/start-mailbox';

/**
 * Crash safety (issue 4 acceptance 3): with load running, SIGKILL the mailbox process that holds the senders
 * and receivers, restart it, and check the ack protocol: every message acknowledged to its sender is delivered,
 * nothing is delivered that was not sent, and after the receiver's de-duplication by message ID each arrives once.
 */
describe('mailbox crash safety (kill -9 under load)', () => {
  let system: MailboxTestSystem;
  let crashing: ProcessInstance;
  const loggedUsers: TestUser[] = [];
  const loggedMessageIds: bigint[] = [];

  beforeAll(async () => {
    system = await startMailboxSystem();
    // debug level: the privacy check below reads everything the process logs
    crashing = await system.spawnProcessInstance({ LOG_LEVEL: 'debug' });
  }, 90_000);

  afterAll(async () => {
    await system.stop();
  });

  it('delivers every sender-acked message after a SIGKILL, and nothing that was not sent', async () => {
    const pairs = Array.from({ length: 10 }, () => ({ sender: system.user(), receiver: system.user() }));
    loggedUsers.push(...pairs.flatMap((pair) => [pair.sender, pair.receiver]));
    const port = crashing.cspPort;
    const sent = new Map<string, bigint[]>();
    const acked = new Map<string, Set<bigint>>();
    const delivered = new Map<string, bigint[]>();

    // receivers of the first five pairs are online on the crashing process, the others offline
    const online = await Promise.all(
      pairs.slice(0, 5).map(async ({ receiver }) => {
        const session = await system.connect(receiver, { cspPort: port });
        const inbox = new Inbox();
        session.onMessage((message) => {
          delivered.set(receiver.identity, [...(delivered.get(receiver.identity) ?? []), message.messageId]);
          inbox.handler(message);
        });
        return session;
      }),
    );
    const senders = await Promise.all(pairs.map(({ sender }) => system.connect(sender, { cspPort: port })));

    let stop = false;
    const load = pairs.map(async ({ sender, receiver }, index) => {
      const session = senders[index];
      const connection = { closed: false };
      void session.closed.then(() => (connection.closed = true));
      const inFlight = new Set<Promise<void>>();
      while (!stop && !connection.closed) {
        const message = testMessage(sender.identity, receiver.identity);
        const id = messageIdOf(message);
        loggedMessageIds.push(id);
        sent.set(receiver.identity, [...(sent.get(receiver.identity) ?? []), id]);
        const promise = session.sendMessage(message).then(
          () => {
            const set = acked.get(receiver.identity) ?? new Set<bigint>();
            set.add(id);
            acked.set(receiver.identity, set);
          },
          () => undefined,
        );
        inFlight.add(promise);
        void promise.finally(() => inFlight.delete(promise));
        // a window of 20 per sender; yield to I/O on every message so timers and sockets keep running
        if (inFlight.size >= 20) await Promise.race(inFlight);
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    await waitFor(() => [...acked.values()].reduce((n, s) => n + s.size, 0) >= 1_000, { timeoutMs: 30_000 });
    await crashing.kill('SIGKILL');
    stop = true;
    await Promise.all(load);
    await Promise.all([...senders, ...online].map((s) => s.closed));
    const ackedTotal = [...acked.values()].reduce((n, s) => n + s.size, 0);
    expect(ackedTotal).toBeGreaterThanOrEqual(1_000);

    const deliveredBeforeKill = new Map([...delivered].map(([id, ids]) => [id, new Set(ids)]));
    const deliveredAfter = new Map<string, bigint[]>();

    await crashing.restart();
    // every receiver reconnects (to the restarted process) and drains its queue
    for (const { receiver } of pairs) {
      const session = await system.connect(receiver, { cspPort: port });
      session.onMessage((message) => {
        delivered.set(receiver.identity, [...(delivered.get(receiver.identity) ?? []), message.messageId]);
        deliveredAfter.set(receiver.identity, [
          ...(deliveredAfter.get(receiver.identity) ?? []),
          message.messageId,
        ]);
        message.ack();
      });
      await session.queueSendComplete;
      await session.close();
    }

    for (const { receiver } of pairs) {
      const got = delivered.get(receiver.identity) ?? [];
      const unique = new Set(got);
      const sentIds = new Set(sent.get(receiver.identity) ?? []);
      for (const id of unique) expect(sentIds.has(id)).toBe(true);
      for (const id of acked.get(receiver.identity) ?? []) expect(unique.has(id)).toBe(true);
      // after the restart each message arrives once; the only repeats are of messages the receiver had got before
      // the kill (its ack, or the delete that follows it, may not have been committed: the ack protocol redelivers)
      const after = deliveredAfter.get(receiver.identity) ?? [];
      expect(new Set(after).size).toBe(after.length);
      // and before the kill nothing arrived twice either
      const before = deliveredBeforeKill.get(receiver.identity) ?? new Set<bigint>();
      expect(got.length).toBe(before.size + after.length);
    }
  }, 120_000);

  it('logged no identity, public key or message ID while doing so (privacy rules)', () => {
    const output = crashing.output();
    expect(output.length).toBeGreaterThan(0);
    for (const user of loggedUsers) {
      expect(output).not.toContain(user.identity);
      expect(output).not.toContain(Buffer.from(user.keys.publicKey).toString('base64'));
      expect(output).not.toContain(Buffer.from(user.keys.publicKey).toString('hex'));
    }
    for (const id of loggedMessageIds.slice(0, 200)) {
      expect(output).not.toContain(id.toString());
      expect(output).not.toContain(id.toString(16).padStart(16, '0'));
    }
  });
});
