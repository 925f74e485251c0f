import { type IdentityRecord, IdentityStateCode } from '@ots/directory-db';

import type { LinkStore, PendingLinkRecord } from '../src/domain/link/link-ports';
import { HashKind } from '../src/domain/linked-hash';
import type { InMemoryIdentityRepository } from './in-memory-identity-repository';

/** LinkStore over Maps, next to an InMemoryIdentityRepository: for unit tests. */
export class InMemoryLinkStore implements LinkStore {
  readonly pending = new Map<string, PendingLinkRecord>();
  readonly links = new Map<string, Uint8Array>();

  constructor(private readonly identities: InMemoryIdentityRepository) {}

  linkedHash(identity: string, kind: HashKind): Promise<Uint8Array | null> {
    return Promise.resolve(this.links.get(`${identity}:${String(kind)}`) ?? null);
  }

  savePending(pending: Omit<PendingLinkRecord, 'attempts'>): Promise<void> {
    for (const [id, other] of this.pending) {
      if (other.identity === pending.identity && other.kind === pending.kind) this.pending.delete(id);
    }
    this.pending.set(pending.id, { ...pending, attempts: 0 });
    return Promise.resolve();
  }

  findPending(id: string): Promise<PendingLinkRecord | undefined> {
    return Promise.resolve(this.pending.get(id));
  }

  deletePending(id: string): Promise<void> {
    this.pending.delete(id);
    return Promise.resolve();
  }

  countFailedAttempt(id: string, maxAttempts: number): Promise<void> {
    const pending = this.pending.get(id);
    if (pending === undefined) return Promise.resolve();
    if (pending.attempts + 1 >= maxAttempts) this.pending.delete(id);
    else this.pending.set(id, { ...pending, attempts: pending.attempts + 1 });
    return Promise.resolve();
  }

  completeLink(id: string): Promise<{ identity: IdentityRecord; replaced: Uint8Array | null } | undefined> {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    const identity = pending && this.identities.records.get(pending.identity);
    if (pending === undefined || identity === undefined || identity.state === IdentityStateCode.Revoked) {
      return Promise.resolve(undefined);
    }
    const key = `${pending.identity}:${String(pending.kind)}`;
    const replaced = this.links.get(key) ?? null;
    this.links.set(key, pending.hash);
    return Promise.resolve({ identity, replaced });
  }

  unlink(identity: string, kind: HashKind): Promise<Uint8Array | null> {
    const key = `${identity}:${String(kind)}`;
    const removed = this.links.get(key) ?? null;
    this.links.delete(key);
    return Promise.resolve(removed);
  }
}
