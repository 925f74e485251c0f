import { EventEmitter } from 'node:events';

import { DIRECTORY_EVENT_SUBJECTS, directoryEventsV1, directoryV1 } from '@ots/contracts';
import type { DirectoryClient } from '@ots/internal-clients';
import type { NatsConnection } from 'nats';

import { ReceiverState } from '../domain/ports';
import { IdentityReplica, type IdentityReplicaEvents } from './identity-replica';

type Callback = (error: Error | null, message: { data: Uint8Array }) => void;

class FakeCall extends EventEmitter {
  cancelled = false;
  deadline: unknown;
  cancel(): void {
    this.cancelled = true;
    this.emit('error', Object.assign(new Error('cancelled'), { code: 1 }));
  }
}

function identity(id: string, fill: number, state = directoryV1.IdentityState.IDENTITY_STATE_ACTIVE) {
  return {
    identity: id,
    publicKey: Buffer.from(new Uint8Array(32).fill(fill)),
    state,
    type: directoryV1.IdentityType.IDENTITY_TYPE_REGULAR,
    featureMask: 0n,
    serverGroup: '00',
  };
}

function setUp() {
  const calls: FakeCall[] = [];
  const directory = {
    streamIdentities: (_request: unknown, options: { deadline?: unknown }) => {
      const call = new FakeCall();
      call.deadline = options.deadline;
      calls.push(call);
      return call;
    },
  } as unknown as DirectoryClient;
  const subscribers = new Map<string, Callback>();
  let unsubscribed = 0;
  const connection = {
    subscribe: (subject: string, options: { callback: Callback }) => {
      subscribers.set(subject, options.callback);
      return {
        unsubscribe: () => {
          unsubscribed += 1;
        },
      };
    },
    flush: () => Promise.resolve(),
  } as unknown as NatsConnection;
  const log: string[] = [];
  const events: IdentityReplicaEvents = {
    loaded: (entries) => log.push(`loaded ${String(entries)}`),
    walkFailed: () => log.push('failed'),
    malformedEvent: (subject) => log.push(`malformed ${subject}`),
  };
  const replica = new IdentityReplica(
    directory,
    { resyncMs: 3_600_000, batchSize: 2, maxRetryMs: 5, walkDeadlineMs: 60_000 },
    events,
  );
  const publish = (subject: string, data: Uint8Array) => {
    subscribers.get(subject)?.(null, { data });
  };
  const created = (id: string, fill: number) => {
    publish(
      DIRECTORY_EVENT_SUBJECTS.created,
      directoryEventsV1.IdentityCreated.encode({ identity: identity(id, fill) }).finish(),
    );
  };
  const revoked = (id: string) => {
    replica.revoke(id);
  };
  return {
    replica,
    connection,
    calls,
    log,
    publish,
    created,
    revoked,
    unsubscribed: () => unsubscribed,
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('IdentityReplica', () => {
  it('loads the snapshot, and a change during the walk counts at once and is not undone by the snapshot', async () => {
    const { replica, connection, calls, log, created, revoked } = setUp();
    await replica.start(connection);
    expect(calls).toHaveLength(1);
    // a walk that hangs fails by its deadline (and is retried) rather than piling up events behind it
    expect(calls[0].deadline).toBeGreaterThan(Date.now() + 50_000);
    calls[0].emit('data', { identities: [identity('ALICE001', 1), identity('BOBBY002', 2)] });
    // during the walk: bob is revoked (the page that held him was already read), carol is created
    revoked('BOBBY002');
    created('CAROL003', 3);
    expect(replica.get('CAROL003')?.state).toBe(ReceiverState.Active);
    calls[0].emit('data', { identities: [identity('CAROL003', 3)] });
    calls[0].emit('end');
    await turn();
    expect(log).toEqual(['loaded 3']);
    expect(replica.get('ALICE001')).toEqual({
      state: ReceiverState.Active,
      publicKey: new Uint8Array(32).fill(1),
    });
    expect(replica.get('BOBBY002')?.state).toBe(ReceiverState.Revoked);
    expect(replica.get('CAROL003')?.publicKey).toEqual(new Uint8Array(32).fill(3));
    expect(replica.get('NOBODY00')).toBeUndefined();
    replica.stop();
  });

  it('leaves system identities to the directory (their keys rotate with its configuration)', async () => {
    const { replica, connection, calls, created } = setUp();
    await replica.start(connection);
    calls[0].emit('data', { identities: [identity('*MY3DATA', 1), identity('ALICE001', 2)] });
    calls[0].emit('end');
    await turn();
    created('*SUPPORT', 3);
    expect(replica.get('*MY3DATA')).toBeUndefined();
    expect(replica.get('*SUPPORT')).toBeUndefined();
    expect(replica.size).toBe(1);
    replica.stop();
  });

  it('follows events after the walk, and reports and ignores a malformed one', async () => {
    const { replica, connection, calls, log, publish, created, revoked } = setUp();
    await replica.start(connection);
    calls[0].emit('end');
    await turn();
    created('DAVE0004', 4);
    revoked('DAVE0004');
    created('DAVE0004', 4);
    publish(DIRECTORY_EVENT_SUBJECTS.created, new Uint8Array([0xff, 0xff, 0xff]));
    publish(
      DIRECTORY_EVENT_SUBJECTS.created,
      directoryEventsV1.IdentityCreated.encode({ identity: undefined }).finish(),
    );
    expect(replica.get('DAVE0004')?.state).toBe(ReceiverState.Revoked);
    expect(replica.size).toBe(1);
    expect(log).toEqual([
      'loaded 0',
      `malformed ${DIRECTORY_EVENT_SUBJECTS.created}`,
      `malformed ${DIRECTORY_EVENT_SUBJECTS.created}`,
    ]);
    replica.stop();
  });

  it('keeps the old table while a walk fails, and walks again until one succeeds', async () => {
    const { replica, connection, calls, log } = setUp();
    await replica.start(connection);
    calls[0].emit('data', { identities: [identity('ALICE001', 1)] });
    calls[0].emit('end');
    await turn();
    replica.resync();
    calls[1].emit('data', { identities: [identity('ALICE001', 1), identity('BOBBY002', 2)] });
    calls[1].emit('error', new Error('directory unavailable'));
    expect(replica.size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toHaveLength(3);
    calls[2].emit('data', { identities: [identity('ALICE001', 1), identity('BOBBY002', 2)] });
    calls[2].emit('end');
    await turn();
    expect(log).toEqual(['loaded 1', 'failed', 'loaded 2']);
    expect(replica.size).toBe(2);
    replica.stop();
  });

  it('walks once more when asked during a walk (after a reconnect its events may be lost)', async () => {
    const { replica, connection, calls } = setUp();
    await replica.start(connection);
    replica.resync();
    replica.resync();
    expect(calls).toHaveLength(1);
    calls[0].emit('end');
    await turn();
    await turn();
    expect(calls).toHaveLength(2);
    calls[1].emit('end');
    await turn();
    expect(calls).toHaveLength(2);
    replica.stop();
  });

  it('stops: unsubscribes, cancels the walk under way and starts no other', async () => {
    const { replica, connection, calls, unsubscribed } = setUp();
    await replica.start(connection);
    replica.stop();
    calls[0].emit('data', { identities: [identity('ALICE001', 1)] });
    expect(calls[0].cancelled).toBe(true);
    expect(unsubscribed()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    replica.resync();
    expect(calls).toHaveLength(1);
  });
});
