import { type GoneToken, type StoredPushToken, TokenSlotCode } from '@ots/push-db';

import type { ProviderName } from '../tokens/push-target';
import { DeliverWakeUpUseCase } from './deliver-wakeup.usecase';
import { DeviceCollapse } from './device-collapse';
import type { FinalOutcome, PushOutcomeRecorder } from './outcome-recorder';
import type { PushProvider, SendOutcome, WakeNotice } from './provider';
import { ProviderGateway } from './provider-gateway';

const fcmToken = (deviceId: bigint, token: string, slot = TokenSlotCode.Regular): StoredPushToken => ({
  identity: 'ABCD1234',
  deviceId,
  slot,
  tokenType: 0x11,
  token: Buffer.from(token),
  ownPushId: null,
  setAt: new Date(0),
});

class RecordingProvider implements PushProvider {
  readonly name = 'fcm' as const;
  readonly sent: { token: string; notice: WakeNotice }[] = [];
  constructor(private readonly answer: (token: string) => SendOutcome) {}
  send(target: { provider: string; registrationToken?: string }, notice: WakeNotice): Promise<SendOutcome> {
    const token = target.registrationToken ?? '';
    this.sent.push({ token, notice });
    return Promise.resolve(this.answer(token));
  }
}

class Recorder implements PushOutcomeRecorder {
  readonly outcomes: [ProviderName, FinalOutcome, string][] = [];
  outcome(provider: ProviderName, outcome: FinalOutcome, reason: string): void {
    this.outcomes.push([provider, outcome, reason]);
  }
  requestDuration(): void {
    // not asserted here
  }
  circuitOpen(): void {
    // not asserted here
  }
}

function setup(tokens: StoredPushToken[], answer: (token: string) => SendOutcome, now = () => 1_000) {
  const provider = new RecordingProvider(answer);
  const recorder = new Recorder();
  const deleted: GoneToken[] = [];
  const gateway = new ProviderGateway(
    [provider],
    { timeoutMs: 1_000, maxInFlightPerProvider: 10, circuit: { failureThreshold: 3, openMs: 10_000 } },
    recorder,
  );
  const usecase = new DeliverWakeUpUseCase(
    {
      listByIdentity: () => Promise.resolve(tokens),
      deleteGone: (gone) => {
        deleted.push(gone);
        return Promise.resolve(true);
      },
    },
    gateway,
    new DeviceCollapse(),
    recorder,
    { maxAttempts: 3, backoff: { baseMs: 100, maxMs: 1_000 } },
    now,
  );
  return { usecase, provider, recorder, deleted };
}

const job = { identity: 'ABCD1234', createdAtMs: 500, expiresAtMs: 60_000, voip: false, group: false };

describe('DeliverWakeUpUseCase', () => {
  it('wakes every device once and prefers the VoIP slot for immediate-delivery wake-ups', async () => {
    const tokens = [
      fcmToken(1n, 'regular-1'),
      fcmToken(1n, 'voip-1', TokenSlotCode.Voip),
      fcmToken(2n, 'regular-2'),
    ];
    const { usecase, provider } = setup(tokens, () => ({ kind: 'sent' }));
    expect(await usecase.execute({ ...job, voip: true }, 1)).toEqual({ done: true });
    expect(provider.sent.map((s) => [s.token, s.notice.viaVoipSlot])).toEqual([
      ['voip-1', true],
      ['regular-2', false],
    ]);
  });

  it('collapses a wake-up for a message queued before the last accepted push', async () => {
    const { usecase, provider } = setup([fcmToken(1n, 't')], () => ({ kind: 'sent' }));
    await usecase.execute(job, 1);
    await usecase.execute({ ...job, createdAtMs: 999 }, 1);
    expect(provider.sent).toHaveLength(1);
    await usecase.execute({ ...job, createdAtMs: 1_001 }, 1);
    expect(provider.sent).toHaveLength(2);
  });

  it('drops an expired wake-up without asking the provider', async () => {
    const { usecase, provider, recorder } = setup(
      [fcmToken(1n, 't')],
      () => ({ kind: 'sent' }),
      () => 70_000,
    );
    expect(await usecase.execute(job, 1)).toEqual({ done: true });
    expect(provider.sent).toEqual([]);
    expect(recorder.outcomes).toEqual([['fcm', 'dropped_expired', 'ttl']]);
  });

  it('deletes a gone token and records it', async () => {
    const { usecase, deleted, recorder } = setup([fcmToken(1n, 'dead')], () => ({
      kind: 'gone',
      reason: 'UNREGISTERED',
    }));
    expect(await usecase.execute(job, 1)).toEqual({ done: true });
    expect(deleted.map((g) => Buffer.from(g.token).toString())).toEqual(['dead']);
    expect(recorder.outcomes).toEqual([['fcm', 'token_deleted', 'UNREGISTERED']]);
  });

  it('hands a transient failure back with backoff until the attempts are used up', async () => {
    const { usecase, recorder } = setup([fcmToken(1n, 't')], () => ({
      kind: 'retry',
      reason: 'UNAVAILABLE',
      retryAfterMs: 700,
    }));
    expect(await usecase.execute(job, 1)).toEqual({ done: false, retryInMs: 700 });
    expect(await usecase.execute(job, 3)).toEqual({ done: true });
    expect(recorder.outcomes).toEqual([['fcm', 'failed', 'UNAVAILABLE']]);
  });

  it('ignores a malformed identity from the queue', async () => {
    const { usecase, provider } = setup([fcmToken(1n, 't')], () => ({ kind: 'sent' }));
    expect(await usecase.execute({ ...job, identity: 'bad' }, 1)).toEqual({ done: true });
    expect(provider.sent).toEqual([]);
  });
});
