import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HashIndex, type HashKind, type LinkedHashEntry } from '@ots/contact-sync-index';
import { DIRECTORY_EVENT_SUBJECTS, directoryEventsV1, directoryV1 } from '@ots/contracts';
import { DIRECTORY_CLIENT, type DirectoryClient } from '@ots/internal-clients';
import { NotReadyError, ReadinessRegistry } from '@ots/observability';
import { NatsClient } from '@ots/service-kit';
import type { Subscription } from 'nats';

import type { IndexState } from '../domain/contact-match.usecase';
import { ContactSyncMetrics } from './contact-sync-metrics';

type BufferedEvent = () => void;

/** Linked hashes per StreamLinkedHashes message (the directory reads as many identities per page). */
const SNAPSHOT_BATCH_SIZE = 5000;

function kindOf(kind: directoryV1.HashKind): HashKind | undefined {
  if (kind === directoryV1.HashKind.HASH_KIND_EMAIL) return 'email';
  if (kind === directoryV1.HashKind.HASH_KIND_MOBILE_NO) return 'mobileNo';
  return undefined;
}

function toEntry(hash: directoryV1.LinkedHash | undefined): LinkedHashEntry | undefined {
  if (hash === undefined) return undefined;
  const kind = kindOf(hash.kind);
  if (kind === undefined || hash.hash.length !== 32 || hash.publicKey.length !== 32) return undefined;
  if (hash.state === directoryV1.IdentityState.IDENTITY_STATE_REVOKED) return undefined;
  return {
    kind,
    hash: hash.hash,
    identity: hash.identity,
    publicKey: hash.publicKey,
    active: hash.state !== directoryV1.IdentityState.IDENTITY_STATE_INACTIVE,
  };
}

/**
 * Builds the in-memory index (docs/adr/0020): subscribe to the directory's events first and buffer them, stream
 * the snapshot, then apply the buffer (events are idempotent) and go live. Ready (/readyz, and the endpoints
 * answer) only once caught up. Nothing is persisted: no database, no JetStream, no file.
 */
@Injectable()
export class DirectoryIndexSync implements IndexState, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DirectoryIndexSync.name);
  private live = new HashIndex();
  private buffer: BufferedEvent[] | undefined;
  private subscriptions: Subscription[] = [];
  private loaded = false;
  private stopped = false;

  constructor(
    @Inject(DIRECTORY_CLIENT) private readonly directory: DirectoryClient,
    private readonly nats: NatsClient,
    metrics: ContactSyncMetrics,
    readiness: ReadinessRegistry,
  ) {
    readiness.register('contact-index', () =>
      this.loaded ? Promise.resolve() : Promise.reject(new NotReadyError('contact index not loaded yet')),
    );
    metrics.setIndexSize(() => this.live.size);
  }

  get index(): HashIndex {
    return this.live;
  }

  get ready(): boolean {
    return this.loaded;
  }

  onApplicationBootstrap(): void {
    void this.run();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
  }

  private async run(): Promise<void> {
    const connection = await this.nats.connected.catch(() => undefined);
    if (connection === undefined || this.stopped) return;
    this.buffer = [];
    const on = (subject: string, handle: (data: Uint8Array) => BufferedEvent | undefined) => {
      const subscription = connection.subscribe(subject, {
        callback: (error, message) => {
          if (error !== null) return;
          let apply: BufferedEvent | undefined;
          try {
            apply = handle(message.data);
          } catch {
            this.logger.warn({ msg: 'undecodable directory event ignored', subject });
            return;
          }
          if (apply === undefined) return;
          if (this.buffer !== undefined) this.buffer.push(apply);
          else apply();
        },
      });
      this.subscriptions.push(subscription);
    };
    on(DIRECTORY_EVENT_SUBJECTS.linked, (data) => {
      const event = directoryEventsV1.HashLinked.decode(data);
      const entry = toEntry(event.entry);
      if (entry === undefined) return undefined;
      return () => {
        this.live.link(entry, event.replacedHash);
      };
    });
    on(DIRECTORY_EVENT_SUBJECTS.unlinked, (data) => {
      const event = directoryEventsV1.HashUnlinked.decode(data);
      const kind = kindOf(event.kind);
      if (kind === undefined) return undefined;
      return () => {
        this.live.unlink(kind, event.hash, event.identity);
      };
    });
    on(DIRECTORY_EVENT_SUBJECTS.revoked, (data) => {
      const event = directoryEventsV1.IdentityRevoked.decode(data);
      return () => {
        this.live.revoke(event.identity);
      };
    });
    await connection.flush();

    for (let attempt = 0; this.running(); attempt++) {
      try {
        const started = performance.now();
        const snapshot = await this.streamSnapshot();
        const buffered = this.buffer ?? [];
        // swap in the loaded snapshot, then replay everything that arrived meanwhile (idempotent)
        this.live = snapshot.index;
        for (const apply of buffered) apply();
        this.buffer = undefined;
        this.loaded = true;
        // the durations show where a slow start goes (read by tools/bench-contact-sync)
        this.logger.log({
          msg: 'contact index loaded',
          entries: this.live.size,
          loadMs: Math.round(performance.now() - started),
          indexingMs: Math.round(snapshot.indexingMs),
        });
        return;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        this.logger.warn({ msg: 'contact index snapshot failed, retrying', grpcCode: code });
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** attempt)).unref());
      }
    }
  }

  private running(): boolean {
    return !this.stopped;
  }

  /** The directory's snapshot in a new index; `indexingMs` is the part spent inserting into the index. */
  private streamSnapshot(): Promise<{ index: HashIndex; indexingMs: number }> {
    return new Promise((resolve, reject) => {
      const index = new HashIndex();
      let indexingMs = 0;
      const call = this.directory.streamLinkedHashes({ batchSize: SNAPSHOT_BATCH_SIZE });
      call.on('data', (response: directoryV1.StreamLinkedHashesResponse) => {
        const started = performance.now();
        for (const hash of response.entries) {
          const entry = toEntry(hash);
          if (entry !== undefined) index.link(entry);
        }
        indexingMs += performance.now() - started;
      });
      call.on('error', reject);
      call.on('end', () => {
        resolve({ index, indexingMs });
      });
    });
  }
}
