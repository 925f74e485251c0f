import type { KeyObject } from 'node:crypto';

import type { PushTarget } from '../../domain/tokens/push-target';
import type { PushProvider, SendOutcome, WakeNotice } from '../../domain/wakeups/provider';
import { apnsAlertBody, apnsVoipBody } from './apns-payload';
import { ApnsTokenSigner } from './apns-token-signer';
import { Http2Origin } from './http2-origin';

type ApnsTarget = Extract<PushTarget, { provider: 'apns' }>;

export interface ApnsSettings {
  readonly key: KeyObject;
  readonly keyId: string;
  readonly teamId: string;
  readonly productionUrl: string;
  readonly developmentUrl: string;
  readonly ca: string | undefined;
}

const CREDENTIAL_REASONS = new Set([
  'InvalidProviderToken',
  'MissingProviderToken',
  'BadCertificate',
  'BadCertificateEnvironment',
  'Forbidden',
  'UnrelatedKeyIdInToken',
  'BadEnvironmentKeyIdInToken',
  'TooManyProviderTokenUpdates',
]);

const TOPIC_REASONS = new Set(['DeviceTokenNotForTopic', 'BadTopic', 'TopicDisallowed', 'MissingTopic']);

/** APNs over one HTTP/2 session per environment with token auth (spec §7.2, push-providers §2). */
export class ApnsProvider implements PushProvider<ApnsTarget> {
  readonly name = 'apns' as const;
  readonly signer: ApnsTokenSigner;
  readonly production: Http2Origin;
  readonly development: Http2Origin;

  constructor(settings: ApnsSettings, now: () => number = Date.now) {
    this.signer = new ApnsTokenSigner(settings.key, settings.keyId, settings.teamId, now);
    const options = {
      ...(settings.ca ? { ca: settings.ca } : {}),
      maxConcurrentStreams: 500,
      pingIntervalMs: 60_000,
    };
    this.production = new Http2Origin(new URL(settings.productionUrl).origin, options);
    this.development = new Http2Origin(new URL(settings.developmentUrl).origin, options);
  }

  async send(target: ApnsTarget, notice: WakeNotice, signal: AbortSignal): Promise<SendOutcome> {
    const origin = target.production ? this.production : this.development;
    const voip = notice.viaVoipSlot;
    const body = voip ? apnsVoipBody(notice, target.payloadKey) : apnsAlertBody(notice, target.payloadKey);
    const headers = {
      ':method': 'POST',
      ':path': `/3/device/${Buffer.from(target.deviceToken).toString('hex')}`,
      'apns-topic': voip ? `${target.bundleId}.voip` : target.bundleId,
      'apns-push-type': voip ? 'voip' : 'alert',
      'apns-priority': '10',
      'apns-expiration': String(Math.max(0, Math.floor(notice.expiresAtMs / 1000))),
      'content-type': 'application/json',
    };
    for (let authAttempt = 0; ; authAttempt++) {
      const token = this.signer.current();
      const response = await origin.request(
        { ...headers, authorization: `bearer ${token.value}` },
        body,
        signal,
      );
      if (response.status === 200) return { kind: 'sent' };
      const { reason, timestamp } = parseApnsError(response.body);
      if (response.status === 403 && reason === 'ExpiredProviderToken') {
        if (authAttempt === 0 && this.signer.refreshAfterExpired(token.generation)) continue;
        return { kind: 'retry', reason };
      }
      if (response.status === 503 || response.status === 500) origin.reset();
      return classifyApnsError(response.status, reason, timestamp);
    }
  }

  close(): void {
    this.production.close();
    this.development.close();
  }
}

function parseApnsError(body: Buffer): { reason: string; timestamp: number | undefined } {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { reason?: unknown; timestamp?: unknown };
    return {
      reason: typeof parsed.reason === 'string' ? parsed.reason : 'unknown',
      timestamp: typeof parsed.timestamp === 'number' ? parsed.timestamp : undefined,
    };
  } catch {
    return { reason: 'unknown', timestamp: undefined };
  }
}

/** spec push-providers §2.4. */
export function classifyApnsError(
  status: number,
  reason: string,
  timestamp: number | undefined,
): SendOutcome {
  if (status === 410) {
    // Unregistered: delete only if our token predates the instant APNs names (the device may have re-registered)
    return {
      kind: 'gone',
      reason: reason === 'ExpiredToken' ? 'ExpiredToken' : 'Unregistered',
      ...(reason !== 'ExpiredToken' && timestamp !== undefined
        ? { unregisteredAt: new Date(timestamp) }
        : {}),
    };
  }
  if (status === 400 && reason === 'BadDeviceToken') return { kind: 'gone', reason };
  if (status === 400 && TOPIC_REASONS.has(reason)) return { kind: 'failed', reason };
  if (CREDENTIAL_REASONS.has(reason)) return { kind: 'failed', reason, credential: true };
  if (status === 429) return { kind: 'retry', reason: 'TooManyRequests', countsAgainstCircuit: false };
  if (status >= 500)
    return { kind: 'retry', reason: status === 503 ? 'ServiceUnavailable' : 'InternalServerError' };
  return { kind: 'failed', reason: status === 413 ? 'PayloadTooLarge' : reason };
}
