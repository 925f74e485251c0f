/**
 * Every message the soak sends, from send to delivery. A message counts as lost when the server acknowledged it
 * (0x81) and its receiver never got it; a delivery of an ID that was never sent to that receiver is "unexpected".
 * Entries are removed once both ack and delivery are seen, so memory stays bounded by what is in flight.
 */
export class MessageLedger {
  private readonly open = new Map<
    string,
    {
      receiver: string;
      sentAt: number;
      acked: boolean;
      failed: boolean;
      delivered: boolean;
    }
  >();
  sent = 0;
  acked = 0;
  delivered = 0;
  /** sends the server refused or the connection dropped before the ack (the client would resend) */
  notAcked = 0;
  duplicates = 0;
  unexpected = 0;

  private static key(receiver: string, messageId: bigint): string {
    return `${receiver}:${messageId.toString(16)}`;
  }

  recordSent(receiver: string, messageId: bigint, sentAt: number): void {
    this.sent += 1;
    this.open.set(MessageLedger.key(receiver, messageId), {
      receiver,
      sentAt,
      acked: false,
      failed: false,
      delivered: false,
    });
  }

  recordAcked(receiver: string, messageId: bigint): void {
    const key = MessageLedger.key(receiver, messageId);
    const entry = this.open.get(key);
    if (!entry || entry.acked) return;
    entry.acked = true;
    this.acked += 1;
    if (entry.delivered) this.open.delete(key);
  }

  /** The send failed: the server did not take responsibility, so the message may legitimately never arrive. */
  recordNotAcked(receiver: string, messageId: bigint): void {
    const key = MessageLedger.key(receiver, messageId);
    const entry = this.open.get(key);
    if (!entry || entry.acked || entry.failed) return;
    entry.failed = true;
    this.notAcked += 1;
    // kept until delivered: the server may have stored it before the connection dropped (then it still arrives)
    if (entry.delivered) this.open.delete(key);
  }

  /** Returns the send time of a first delivery (for the latency), undefined for a duplicate or unknown ID. */
  recordDelivered(receiver: string, messageId: bigint, knownDelivered: Set<string>): number | undefined {
    const key = MessageLedger.key(receiver, messageId);
    const entry = this.open.get(key);
    if (!entry) {
      if (knownDelivered.has(key)) this.duplicates += 1;
      else this.unexpected += 1;
      return undefined;
    }
    if (entry.delivered) {
      this.duplicates += 1;
      return undefined;
    }
    entry.delivered = true;
    this.delivered += 1;
    knownDelivered.add(key);
    if (entry.acked || entry.failed) this.open.delete(key);
    return entry.sentAt;
  }

  /** Acknowledged messages not delivered yet. */
  ackedUndelivered(): number {
    let count = 0;
    for (const entry of this.open.values()) if (entry.acked && !entry.delivered) count += 1;
    return count;
  }

  /** Acknowledged, undelivered messages for one receiver. */
  ackedUndeliveredFor(receiver: string): number {
    let count = 0;
    for (const entry of this.open.values())
      if (entry.receiver === receiver && entry.acked && !entry.delivered) count += 1;
    return count;
  }

  /** Sent and neither acked nor failed yet. */
  inFlight(): number {
    let count = 0;
    for (const entry of this.open.values()) if (!entry.acked && !entry.failed) count += 1;
    return count;
  }
}

/**
 * IDs delivered recently, to tell a duplicate from an unexpected delivery; bounded (oldest forgotten first).
 */
export class RecentDeliveries extends Set<string> {
  constructor(private readonly limit = 200_000) {
    super();
  }

  override add(value: string): this {
    super.add(value);
    if (this.size > this.limit) {
      const oldest = this.values().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return this;
  }
}
