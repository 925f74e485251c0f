import type { ProviderName, PushTarget } from '../tokens/push-target';

/** What a provider may learn about a wake-up: never the receiver's identity, a sender or a message ID. */
export interface WakeNotice {
  /** the message asked for immediate delivery (flag 0x20): VoIP push where the device has a VoIP token */
  readonly voip: boolean;
  /** group message marker (flag 0x10) */
  readonly group: boolean;
  /** Unix ms after which the wake-up is worthless (providers get it as TTL / apns-expiration) */
  readonly expiresAtMs: number;
  /** the token came from the VoIP slot (CSP 0x24) */
  readonly viaVoipSlot: boolean;
}

/**
 * One provider's answer, classified by the table of spec push-providers (§1.4, §2.4, §3):
 * - `sent`: accepted by the provider;
 * - `gone`: the token is dead; delete it (APNs 410 carries the instant after which it was unregistered);
 * - `retry`: transient (429, 5xx, network, timeout); `retryAfterMs` from Retry-After when given;
 *   `countsAgainstCircuit` false for per-token throttling that says nothing about the provider's health;
 * - `failed`: final without deleting the token (our bug, a config or credential problem); `credential` marks a
 *   failure that will hit every request, so the provider's circuit opens at once.
 */
export type SendOutcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'gone'; readonly reason: string; readonly unregisteredAt?: Date }
  | {
      readonly kind: 'retry';
      readonly reason: string;
      readonly retryAfterMs?: number;
      readonly countsAgainstCircuit?: boolean;
    }
  | { readonly kind: 'failed'; readonly reason: string; readonly credential?: boolean };

export interface PushProvider<Target extends PushTarget = PushTarget> {
  readonly name: ProviderName;
  send(target: Target, notice: WakeNotice, signal: AbortSignal): Promise<SendOutcome>;
}

/** Reason labels are bounded: provider codes are mapped to a fixed vocabulary before they become labels. */
export function boundedReason(reason: string): string {
  return /^[A-Za-z0-9_.-]{1,40}$/.test(reason) ? reason : 'other';
}
