// The drill's bookkeeping, without I/O: what each sender sent and got acknowledged (0x81), what each receiver got,
// and the moments that make the recovery times. The verdict compares them.

/** One message as the drill identifies it: receiver, sender and message ID (spec §2: IDs are per sender). */
export const messageKey = (sender: string, receiver: string, messageId: bigint): string =>
  `${sender}>${receiver}:${messageId.toString(16)}`;

interface SentMessage {
  /** digest of nonce ‖ box, to tell a delivered message from a different one with the same ID */
  readonly fingerprint: string;
  readonly firstSentAtMs: number;
  acked: boolean;
}

export type Receipt = 'new' | 'duplicate' | 'unexpected';

export interface LedgerCounts {
  readonly sent: number;
  readonly acked: number;
  readonly ackedBeforeKill: number;
  /** sent and not yet acknowledged at the moment of the kill: the drill kills mid-load */
  readonly inFlightAtKill: number;
  readonly delivered: number;
  /** deliveries of a message already received (allowed: the receiver drops them by message ID) */
  readonly duplicates: number;
  /** acknowledged to the sender, never delivered to the receiver */
  readonly lost: number;
  /** delivered but never sent (or different bytes under a sent ID) */
  readonly unexpected: number;
  /** sent and never acknowledged (senders resend until acknowledged, so a recovered system leaves none) */
  readonly unacknowledged: number;
}

export class DeliveryLedger {
  private readonly sent = new Map<string, SentMessage>();
  private readonly delivered = new Set<string>();
  private readonly ackedKeys = new Set<string>();
  private ackedBeforeKill = 0;
  private inFlightAtKill = 0;
  private duplicates = 0;
  private unexpected = 0;
  private killAtMs: number | undefined;
  private firstDeliveryAfterKillMs: number | undefined;

  recordSent(key: string, fingerprint: string, atMs: number): void {
    if (this.sent.has(key)) return; // a resend
    this.sent.set(key, { fingerprint, firstSentAtMs: atMs, acked: false });
  }

  recordAcked(key: string): void {
    const message = this.sent.get(key);
    if (!message || message.acked) return;
    message.acked = true;
    this.ackedKeys.add(key);
    if (this.killAtMs === undefined) this.ackedBeforeKill += 1;
  }

  /** A delivery (0x02) to a receiver; `atMs` on the same clock as the other records. */
  recordReceived(key: string, fingerprint: string, atMs: number): Receipt {
    const message = this.sent.get(key);
    if (message?.fingerprint !== fingerprint) {
      this.unexpected += 1;
      return 'unexpected';
    }
    if (this.delivered.has(key)) {
      this.duplicates += 1;
      return 'duplicate';
    }
    this.delivered.add(key);
    if (
      this.killAtMs !== undefined &&
      this.firstDeliveryAfterKillMs === undefined &&
      message.firstSentAtMs >= this.killAtMs
    ) {
      this.firstDeliveryAfterKillMs = atMs;
    }
    return 'new';
  }

  isDelivered(key: string): boolean {
    return this.delivered.has(key);
  }

  recordKill(atMs: number): void {
    this.killAtMs = atMs;
    this.inFlightAtKill = this.sent.size - this.ackedKeys.size;
  }

  /** Time from the kill to the first delivery of a message first sent after the kill (undefined: none yet). */
  get rtoMs(): number | undefined {
    if (this.killAtMs === undefined || this.firstDeliveryAfterKillMs === undefined) return undefined;
    return this.firstDeliveryAfterKillMs - this.killAtMs;
  }

  /** Everything acknowledged has been delivered (the drain waits for this). */
  get settled(): boolean {
    for (const key of this.ackedKeys) if (!this.delivered.has(key)) return false;
    return true;
  }

  counts(): LedgerCounts {
    let lost = 0;
    for (const key of this.ackedKeys) if (!this.delivered.has(key)) lost += 1;
    return {
      sent: this.sent.size,
      acked: this.ackedKeys.size,
      ackedBeforeKill: this.ackedBeforeKill,
      inFlightAtKill: this.inFlightAtKill,
      delivered: this.delivered.size,
      duplicates: this.duplicates,
      lost,
      unexpected: this.unexpected,
      unacknowledged: this.sent.size - this.ackedKeys.size,
    };
  }
}
