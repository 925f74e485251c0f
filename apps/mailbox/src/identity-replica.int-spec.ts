import type { CspSession } from '@ots/client';
import { DIRECTORY_EVENT_SUBJECTS, directoryEventsV1, directoryV1 } from '@ots/contracts';
import { generateX25519KeyPair } from '@ots/crypto';
import { waitFor } from '@ots/testing';
import { connect, type NatsConnection } from 'nats';

import { Inbox, testMessage } from '../test/messages';
import { type MailboxInstance, type MailboxTestSystem, startMailboxSystem } from '../test/start-mailbox';

async function replicaEntries(instance: MailboxInstance): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${String(instance.service.httpPort)}/metrics`);
  const found = /^ots_mailbox_identity_replica_entries(?:\{[^}]*\})? (\S+)$/m.exec(await response.text());
  return Number(found?.[1] ?? Number.NaN);
}

describe('identity replica (docs/adr/0030; real PostgreSQL, NATS, sockets)', () => {
  let system: MailboxTestSystem;
  let nats: NatsConnection;
  const sessions: CspSession[] = [];

  beforeAll(async () => {
    system = await startMailboxSystem();
    nats = await connect({ servers: system.nats.url });
  }, 60_000);

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    await nats.close();
    await system.stop();
  });

  async function login(user: ReturnType<MailboxTestSystem['user']>, instance: MailboxInstance) {
    const session = await system.connect(user, instance);
    sessions.push(session);
    return session;
  }

  it('logs in and routes from the replica without asking the directory, follows its events, and goes on while it is down', async () => {
    const alice = system.user();
    const bob = system.user();
    const revoked = system.user();
    system.directory.setState(revoked.identity, directoryV1.IdentityState.IDENTITY_STATE_REVOKED);
    // a new instance walks the directory as it is now: these three (and the users of no other test) are in it
    const instance = await system.startInstance();
    await waitFor(async () => (await replicaEntries(instance)) >= 3, { description: 'replica loaded' });
    expect(system.directory.streamIdentitiesCalls).toBeGreaterThan(0);

    const calls = system.directory.getIdentitiesCalls;
    const a = await login(alice, instance);
    const b = await login(bob, instance);
    const inbox = new Inbox();
    b.onMessage(inbox.handler);
    await a.sendMessage(testMessage(alice.identity, bob.identity));
    await waitFor(() => inbox.received.length === 1);
    await expect(system.connect(revoked, instance)).rejects.toThrow();
    expect(system.directory.getIdentitiesCalls).toBe(calls);

    // an identity the directory announces after the walk: the event alone makes it known here (the test
    // directory itself has never heard of it, so a look-up there would answer "unknown")
    const carol = { identity: 'CAROL777', keys: generateX25519KeyPair() };
    nats.publish(
      DIRECTORY_EVENT_SUBJECTS.created,
      directoryEventsV1.IdentityCreated.encode({
        identity: {
          identity: carol.identity,
          publicKey: Buffer.from(carol.keys.publicKey),
          state: directoryV1.IdentityState.IDENTITY_STATE_ACTIVE,
          type: directoryV1.IdentityType.IDENTITY_TYPE_REGULAR,
          featureMask: 0n,
          serverGroup: '00',
        },
      }).finish(),
    );
    await nats.flush();
    await waitFor(async () => (await replicaEntries(instance)) >= 4, {
      description: 'created event applied',
    });
    await login(carol, instance);

    // a revocation event: the replica refuses the next login, without asking the directory either
    nats.publish(
      DIRECTORY_EVENT_SUBJECTS.revoked,
      directoryEventsV1.IdentityRevoked.encode({ identity: alice.identity }).finish(),
    );
    await nats.flush();
    await waitFor(async () => {
      try {
        const again = await system.connect(alice, instance);
        await again.close();
        return false;
      } catch {
        return true;
      }
    });
    expect(system.directory.getIdentitiesCalls).toBe(calls);

    // with the directory gone, logins of known identities go on
    await system.directory.stop();
    const bobAgain = await login(bob, instance);
    expect(await bobAgain.echo()).toBeGreaterThanOrEqual(0);
  });
});
