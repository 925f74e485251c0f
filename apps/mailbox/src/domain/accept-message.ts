import { hasMessageFlag, MessageFlag } from '@ots/protocol';

import { MessageRejection } from './mailbox-error';
import {
  type DeliveryRouter,
  type IdentityDirectory,
  type MessageStore,
  ReceiverState,
  type WakeUpPublisher,
} from './ports';
import type { QueueQuota } from './queue-quota';
import { type StructHeader, withCreatedAt } from './struct-header';

export type AcceptOutcome =
  /** stored durably (or, for flag 0x02, handed to the receiver's connection): ack unless flag 0x04 */
  | { readonly kind: 'accepted' }
  /** not queued and never will be (unknown or revoked receiver): acked all the same, see docs/adr/0009 */
  | { readonly kind: 'dropped'; readonly reason: MessageRejection }
  /** refused for now (queue full): no ack, so the client keeps it and sends it again later */
  | { readonly kind: 'refused'; readonly reason: MessageRejection; readonly alert: string };

export interface AcceptPolicy {
  readonly retentionMs: number;
  /** spec §2.3 flag 0x20 */
  readonly shortLivedMs: number;
}

/**
 * spec §1.7 / architecture message path step 2–3 and 5: check the receiver, store durably (the ack waits for the
 * commit), then signal the receiver's instance; if nobody holds the receiver and the sender asked for a push,
 * queue a wake-up. The struct is the message-with-metadata-box variant with its sender already verified.
 */
export class AcceptMessage {
  constructor(
    private readonly directory: IdentityDirectory,
    private readonly store: MessageStore,
    private readonly router: DeliveryRouter,
    private readonly wakeUps: WakeUpPublisher,
    private readonly quota: QueueQuota,
    private readonly policy: AcceptPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** `header` is the struct's, as the caller already read it while validating. */
  async execute(struct: Uint8Array, received: StructHeader): Promise<AcceptOutcome> {
    let header = received;
    const receiver = await this.directory.lookup(header.receiver);
    if (receiver.state === ReceiverState.Unknown)
      return { kind: 'dropped', reason: MessageRejection.UnknownReceiver };
    if (receiver.state === ReceiverState.Revoked)
      return { kind: 'dropped', reason: MessageRejection.RevokedReceiver };

    const nowMs = this.now();
    const nowSeconds = Math.floor(nowMs / 1000);
    const shortLived = hasMessageFlag(header.flags, MessageFlag.SHORT_LIVED_SERVER_QUEUING);
    let accepted = struct;
    if (shortLived || header.createdAt > nowSeconds) {
      accepted = withCreatedAt(struct, nowSeconds);
      header = { ...header, createdAt: nowSeconds };
    }

    if (hasMessageFlag(header.flags, MessageFlag.NO_SERVER_QUEUING)) {
      // delivered only if the receiver is connected right now; never stored, never pushed
      await this.router.deliver(
        header.receiver,
        { struct: accepted, header, stored: false, acceptedAtMs: nowMs },
        false,
      );
      return { kind: 'accepted' };
    }
    if (!(await this.quota.admits(header.receiver))) {
      return {
        kind: 'refused',
        reason: MessageRejection.QueueFull,
        alert: `The mailbox of ${header.receiver} is full. Your message will be sent again later.`,
      };
    }
    const queuedAt = new Date(nowMs);
    const expiresAt = new Date(nowMs + (shortLived ? this.policy.shortLivedMs : this.policy.retentionMs));
    const storing = this.store.store({
      receiver: header.receiver,
      sender: header.sender,
      messageId: header.messageId,
      flags: header.flags,
      queuedAt,
      expiresAt,
      struct: accepted,
    });
    // a receiver connected to this instance gets it while the commit runs; only the sender's ack waits for the
    // commit (architecture message path step 3; docs/adr/0027)
    const committed = storing.then(
      () => true,
      () => false,
    );
    const handedTo = this.router.deliverLocally(header.receiver, {
      struct: accepted,
      header,
      stored: true,
      acceptedAtMs: nowMs,
      committed,
    });
    await storing;
    const wantsPush = hasMessageFlag(header.flags, MessageFlag.SEND_PUSH_NOTIFICATION);
    // other instances hear of it only now (a delete there must not overtake the insert here), and so does a
    // connection of the receiver that logged in here during the commit
    void this.router
      .deliver(header.receiver, { struct: accepted, header, stored: true, acceptedAtMs: nowMs }, wantsPush, {
        handedTo,
      })
      .then((online) => {
        if (online || !wantsPush) return;
        this.wakeUps.publish({
          identity: header.receiver,
          createdAt: queuedAt,
          expiresAt,
          voip: shortLived,
          group: hasMessageFlag(header.flags, MessageFlag.GROUP_MESSAGE),
        });
      });
    return { kind: 'accepted' };
  }
}
