// Bookkeeping of every message the drill sends: when it was first sent, whether the server acknowledged it (0x81),
// and how often its receiver got it. Message keys are sender ‖ message ID, as the receiver deduplicates them.

export interface MessageRecord {
  readonly key: string;
  readonly sender: string;
  readonly receiver: string;
  /** the step during which it was first sent */
  readonly step: number;
  readonly firstSentAt: number;
  ackedAt?: number;
  /** first delivery (payload 0x02) to the receiver */
  deliveredAt?: number;
  deliveries: number;
}

export interface LedgerCounts {
  readonly sent: number;
  readonly acked: number;
  /** acknowledged messages that reached their receiver at least once */
  readonly delivered: number;
  /** acknowledged but never delivered: the property the drill guards */
  readonly lost: number;
  /** extra deliveries of a message already delivered (at-least-once; the receiver drops them by message ID) */
  readonly duplicates: number;
  /** delivered although never acknowledged (stored, then the ack was lost with its connection): allowed */
  readonly deliveredUnacked: number;
}

export const messageKey = (sender: string, messageId: bigint): string => `${sender}:${messageId.toString()}`;

export class Ledger {
  private readonly records = new Map<string, MessageRecord>();
  /** deliveries of keys the drill never sent (must stay 0) */
  unexpected = 0;

  sent(key: string, sender: string, receiver: string, step: number, at: number): void {
    if (this.records.has(key)) return; // a resend of the same message
    this.records.set(key, { key, sender, receiver, step, firstSentAt: at, deliveries: 0 });
  }

  acked(key: string, at: number): void {
    const record = this.records.get(key);
    if (record && record.ackedAt === undefined) record.ackedAt = at;
  }

  delivered(key: string, receiver: string, at: number): void {
    const record = this.records.get(key);
    if (record?.receiver !== receiver) {
      this.unexpected += 1;
      return;
    }
    record.deliveries += 1;
    record.deliveredAt ??= at;
  }

  get(key: string): MessageRecord | undefined {
    return this.records.get(key);
  }

  /** Messages matching `filter` (e.g. one step's, or one receiver's). */
  select(filter: (record: MessageRecord) => boolean): MessageRecord[] {
    return [...this.records.values()].filter(filter);
  }

  /** Acknowledged messages of the selection that were never delivered. */
  lost(filter: (record: MessageRecord) => boolean = () => true): MessageRecord[] {
    return this.select((r) => filter(r) && r.ackedAt !== undefined && r.deliveries === 0);
  }

  counts(filter: (record: MessageRecord) => boolean = () => true): LedgerCounts {
    let sent = 0;
    let acked = 0;
    let delivered = 0;
    let lost = 0;
    let duplicates = 0;
    let deliveredUnacked = 0;
    for (const record of this.records.values()) {
      if (!filter(record)) continue;
      sent += 1;
      duplicates += Math.max(0, record.deliveries - 1);
      if (record.ackedAt === undefined) {
        if (record.deliveries > 0) deliveredUnacked += 1;
        continue;
      }
      acked += 1;
      if (record.deliveries > 0) delivered += 1;
      else lost += 1;
    }
    return { sent, acked, delivered, lost, duplicates, deliveredUnacked };
  }

  /**
   * Time from `since` until every one of `senders` had a message first sent at or after `since` delivered
   * (undefined while one has not): when the whole system works end to end again.
   */
  allSendersRecoveredAt(senders: readonly string[], since: number): number | undefined {
    const firstBySender = new Map<string, number>();
    for (const record of this.records.values()) {
      if (record.firstSentAt < since || record.deliveredAt === undefined) continue;
      const known = firstBySender.get(record.sender);
      if (known === undefined || record.deliveredAt < known)
        firstBySender.set(record.sender, record.deliveredAt);
    }
    let latest = since;
    for (const sender of senders) {
      const at = firstBySender.get(sender);
      if (at === undefined) return undefined;
      latest = Math.max(latest, at);
    }
    return latest;
  }

  /** The first delivery of any message first sent at or after `since`. */
  firstDeliveryAfter(since: number): number | undefined {
    let first: number | undefined;
    for (const record of this.records.values()) {
      if (record.firstSentAt < since || record.deliveredAt === undefined) continue;
      if (first === undefined || record.deliveredAt < first) first = record.deliveredAt;
    }
    return first;
  }
}
