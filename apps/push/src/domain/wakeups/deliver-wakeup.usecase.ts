import { isThreemaId } from '@ots/protocol';
import { type StoredPushToken, TokenSlotCode } from '@ots/push-db';

import { backoffDelayMs, type BackoffSettings } from '../reliability/backoff';
import { parsePushTarget, type PushTarget } from '../tokens/push-target';
import type { TokenStore } from '../tokens/token-store';
import type { DeviceCollapse } from './device-collapse';
import type { PushOutcomeRecorder } from './outcome-recorder';
import { boundedReason, type WakeNotice } from './provider';
import type { AttemptResult, ProviderGateway } from './provider-gateway';

/** A wake-up as taken from the work queue (proto ots.push.v1.WakeUp). */
export interface WakeUpJob {
  readonly identity: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly voip: boolean;
  readonly group: boolean;
}

/** `done`: acknowledge the queue message. `later`: leave it to be redelivered after `retryInMs`. */
export type DeliveryResult = { readonly done: true } | { readonly done: false; readonly retryInMs: number };

export interface DeliverySettings {
  /** attempts (queue deliveries) before a transient provider error counts as final */
  readonly maxAttempts: number;
  readonly backoff: BackoffSettings;
}

interface DeviceTarget {
  readonly stored: StoredPushToken;
  readonly target: PushTarget;
}

/**
 * Wakes every device of the receiver once (spec push-providers §6.1): per device the VoIP token when the message
 * asked for immediate delivery and the device registered one, else its regular token. Expired wake-ups are
 * dropped, dead tokens deleted, transient failures retried with backoff through the queue's redelivery, so the
 * queue message is acknowledged only when every device has a final answer.
 */
export class DeliverWakeUpUseCase {
  constructor(
    private readonly tokens: Pick<TokenStore, 'listByIdentity' | 'deleteGone'>,
    private readonly gateway: ProviderGateway,
    private readonly collapse: DeviceCollapse,
    private readonly recorder: PushOutcomeRecorder,
    private readonly settings: DeliverySettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** `attempt` is the queue's delivery count of this message (1 on the first delivery). */
  async execute(job: WakeUpJob, attempt: number): Promise<DeliveryResult> {
    if (!isThreemaId(job.identity)) return { done: true };
    const targets = chooseTargets(await this.tokens.listByIdentity(job.identity), job.voip);
    const results = await Promise.all(targets.map((target) => this.deliverToDevice(job, target, attempt)));
    const later = results.filter((result): result is number => result !== undefined);
    if (later.length === 0) return { done: true };
    const untilExpiry = Math.max(0, job.expiresAtMs - this.now());
    return { done: false, retryInMs: Math.min(Math.max(...later), untilExpiry + 1) };
  }

  /** Resolves undefined when the device has its final answer, or the delay before the next attempt. */
  private async deliverToDevice(
    job: WakeUpJob,
    device: DeviceTarget,
    attempt: number,
  ): Promise<number | undefined> {
    const provider = device.target.provider;
    const key = `${job.identity}:${String(device.stored.deviceId)}:${String(device.stored.slot)}`;
    return this.collapse.exclusive(key, async () => {
      if (this.now() >= job.expiresAtMs) {
        this.recorder.outcome(provider, 'dropped_expired', 'ttl');
        return undefined;
      }
      if (this.collapse.isCovered(key, job.createdAtMs)) return undefined;
      const notice: WakeNotice = {
        voip: job.voip,
        group: job.group,
        expiresAtMs: job.expiresAtMs,
        viaVoipSlot: device.stored.slot === TokenSlotCode.Voip,
      };
      const result: AttemptResult = await this.gateway.attempt(device.target, notice);
      switch (result.kind) {
        case 'sent':
          this.collapse.markAccepted(key, this.now());
          this.recorder.outcome(provider, 'sent', 'ok');
          return undefined;
        case 'gone': {
          const deleted = await this.tokens.deleteGone({
            identity: job.identity,
            deviceId: device.stored.deviceId,
            slot: device.stored.slot,
            token: device.stored.token,
            ...(result.unregisteredAt ? { setBefore: result.unregisteredAt } : {}),
          });
          this.recorder.outcome(provider, deleted ? 'token_deleted' : 'failed', boundedReason(result.reason));
          return undefined;
        }
        case 'failed':
          this.recorder.outcome(provider, 'failed', boundedReason(result.reason));
          return undefined;
        case 'retry':
          if (attempt >= this.settings.maxAttempts) {
            this.recorder.outcome(provider, 'failed', boundedReason(result.reason));
            return undefined;
          }
          return backoffDelayMs(attempt, this.settings.backoff, result.retryAfterMs);
        case 'blocked':
          // the provider is unhealthy or saturated: wait without spending this device's attempts on it
          return result.retryInMs + Math.floor(Math.random() * 250);
      }
    });
  }
}

/** Per device: the VoIP slot for an immediate-delivery wake-up when it holds a token, else the regular slot. */
export function chooseTargets(tokens: readonly StoredPushToken[], voip: boolean): DeviceTarget[] {
  const byDevice = new Map<bigint, { regular?: StoredPushToken; voip?: StoredPushToken }>();
  for (const token of tokens) {
    const slots = byDevice.get(token.deviceId) ?? {};
    if (token.slot === TokenSlotCode.Voip) slots.voip = token;
    else slots.regular = token;
    byDevice.set(token.deviceId, slots);
  }
  const chosen: DeviceTarget[] = [];
  for (const slots of byDevice.values()) {
    const stored = (voip ? slots.voip : undefined) ?? slots.regular;
    if (!stored) continue;
    try {
      const target = parsePushTarget(stored.tokenType, stored.token);
      if (target) chosen.push({ stored, target });
    } catch {
      // validated when stored; a row that no longer parses is skipped rather than blocking the other devices
    }
  }
  return chosen;
}
