import { DIRECTORY_EVENT_SUBJECTS, directoryEventsV1, directoryV1 } from '@ots/contracts';
import type { DirectoryClient } from '@ots/internal-clients';
import type { NatsConnection, Subscription } from 'nats';

import { type IdentityInfo, ReceiverState } from '../domain/ports';
import { IdentityTable } from './identity-table';

export interface IdentityReplicaOptions {
  /** a full walk of the directory this often, besides at start and after a NATS reconnect (events may be lost) */
  readonly resyncMs: number;
  /** identities per StreamIdentities message */
  readonly batchSize: number;
  /** the longest wait between attempts after a failed walk */
  readonly maxRetryMs: number;
  /** a walk that has not ended after this long fails (and is retried): events must not pile up behind it */
  readonly walkDeadlineMs: number;
}

export interface IdentityReplicaEvents {
  loaded(entries: number, durationMs: number): void;
  walkFailed(error: unknown): void;
  malformedEvent(subject: string): void;
}

type Change = (table: IdentityTable) => void;

export const STATE_FROM_CONTRACT: Record<directoryV1.IdentityState, ReceiverState> = {
  [directoryV1.IdentityState.IDENTITY_STATE_UNSPECIFIED]: ReceiverState.Unknown,
  [directoryV1.IdentityState.IDENTITY_STATE_ACTIVE]: ReceiverState.Active,
  [directoryV1.IdentityState.IDENTITY_STATE_INACTIVE]: ReceiverState.Inactive,
  [directoryV1.IdentityState.IDENTITY_STATE_REVOKED]: ReceiverState.Revoked,
  [directoryV1.IdentityState.UNRECOGNIZED]: ReceiverState.Unknown,
};

/**
 * System identities (`*MY3DATA`) are left to the directory: their keys come from its configuration and change when
 * an operator rotates one (docs/adr/0018), which no event announces. An ordinary identity's key never changes.
 */
function add(table: IdentityTable, identity: directoryV1.Identity): void {
  if (identity.identity.startsWith('*')) return;
  table.set(identity.identity, STATE_FROM_CONTRACT[identity.state], identity.publicKey);
}

/**
 * The directory's identities (key and state) in this process, so that a login and a receiver check need no call
 * to the directory (docs/adr/0030): the events are subscribed to first, the snapshot is streamed into a new
 * table, and the changes that arrived during the walk are replayed on it before it replaces the old one (they are
 * idempotent; a revocation is final). Changes also reach the old table at once, so look-ups during a walk see
 * them. An identity the replica does not know (not loaded yet, or created a moment ago) is for the caller to ask
 * the directory about.
 */
export class IdentityReplica {
  private live = new IdentityTable();
  /** changes since the walk under way began, to replay on its table; undefined when no walk is under way */
  private duringWalk: Change[] | undefined;
  private walkAgain = false;
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly directory: DirectoryClient,
    private readonly options: IdentityReplicaOptions,
    private readonly events: IdentityReplicaEvents,
  ) {}

  get size(): number {
    return this.live.size;
  }

  get(identity: string): IdentityInfo | undefined {
    return this.live.get(identity);
  }

  /**
   * Subscribes to the directory's creation events, then loads the snapshot (in the background) and keeps it
   * current. Revocations come through revoke(): subscribe to them before calling this, so that the flush here
   * confirms both subscriptions before the walk starts.
   */
  async start(connection: NatsConnection): Promise<void> {
    const subject = DIRECTORY_EVENT_SUBJECTS.created;
    this.subscription = connection.subscribe(subject, {
      callback: (error, message) => {
        if (error !== null) return;
        let identity: directoryV1.Identity | undefined;
        try {
          identity = directoryEventsV1.IdentityCreated.decode(message.data).identity;
        } catch {
          identity = undefined;
        }
        if (identity === undefined) {
          this.events.malformedEvent(subject);
          return;
        }
        const created = identity;
        this.apply((table) => {
          add(table, created);
        });
      },
    });
    // the server has our subscriptions once this returns: no event after the walk's start is missed
    await connection.flush();
    this.timer = setInterval(() => {
      this.resync();
    }, this.options.resyncMs).unref();
    this.resync();
  }

  /** A revocation event (the chat server's subscription hands each one here as well). */
  revoke(identity: string): void {
    this.apply((table) => {
      table.revoke(identity);
    });
  }

  /** Walks the directory again (after a NATS reconnect: events may have been lost meanwhile). */
  resync(): void {
    if (this.stopped) return;
    if (this.duringWalk !== undefined) {
      this.walkAgain = true;
      return;
    }
    void this.walk();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  /** A change counts at once, and again on the table of the walk under way when that one is swapped in. */
  private apply(change: Change): void {
    change(this.live);
    this.duringWalk?.push(change);
  }

  private async walk(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      this.duringWalk = [];
      this.walkAgain = false;
      const started = performance.now();
      try {
        const table = await this.snapshot();
        for (const change of this.duringWalk) change(table);
        this.live = table;
        this.duringWalk = undefined;
        this.events.loaded(table.size, performance.now() - started);
        if (this.askedAgain()) this.resync();
        return;
      } catch (error) {
        this.duringWalk = undefined;
        if (this.isStopped()) return;
        this.events.walkFailed(error);
        const wait = Math.min(this.options.maxRetryMs, 250 * 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
    }
  }

  // read through methods: the flags change while a walk awaits, which the compiler's narrowing does not see
  private askedAgain(): boolean {
    return this.walkAgain;
  }

  private isStopped(): boolean {
    return this.stopped;
  }

  private snapshot(): Promise<IdentityTable> {
    return new Promise((resolve, reject) => {
      const table = new IdentityTable();
      const call = this.directory.streamIdentities(
        { batchSize: this.options.batchSize },
        { deadline: Date.now() + this.options.walkDeadlineMs },
      );
      call.on('data', (response: directoryV1.StreamIdentitiesResponse) => {
        if (this.stopped) {
          call.cancel();
          return;
        }
        for (const identity of response.identities) add(table, identity);
      });
      call.on('error', reject);
      call.on('end', () => {
        resolve(table);
      });
    });
  }
}
