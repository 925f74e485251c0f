import { pushV1 } from '@ots/contracts';
import { httpGet, waitFor } from '@ots/testing';
import { connect, type NatsConnection } from 'nats';

import { call, startPushForTest, type TestPush } from '../test/start-push';
import { publishWakeUp, receivedBy } from '../test/wakeups';

const APNS_KEY = Buffer.alloc(32, 7);
const apnsToken = (n: number) =>
  Buffer.concat([Buffer.from([0xab, n]), Buffer.from('|app.bundle|'), APNS_KEY]);
const identity = (prefix: string, n: number) => `${prefix}${String(n).padStart(4, '0')}`;

/** Acceptance 4: a provider that hangs or answers 503 never delays the others. */
describe('provider isolation (real PostgreSQL, NATS and provider fakes)', () => {
  let push: TestPush;
  let nats: NatsConnection;

  beforeAll(async () => {
    push = await startPushForTest({
      PUSH_PROVIDER_TIMEOUT_MS: '2000',
      PUSH_PROVIDER_MAX_IN_FLIGHT: '32',
      PUSH_MAX_IN_FLIGHT: '128',
      PUSH_CIRCUIT_FAILURE_THRESHOLD: '5',
      PUSH_CIRCUIT_OPEN_MS: '5000',
    });
    nats = await connect({ servers: push.nats.url });
    const setToken = (request: pushV1.SetTokenRequest) =>
      call<pushV1.SetTokenRequest, pushV1.SetTokenResponse>(push.client.setToken.bind(push.client), request);
    const regular = pushV1.TokenSlot.TOKEN_SLOT_REGULAR;
    for (let n = 0; n < 100; n++) {
      await setToken({
        identity: identity('FCMH', n),
        deviceId: 1n,
        slot: regular,
        tokenType: 0x11,
        token: Buffer.from(`fcm-${String(n)}`),
      });
    }
    for (let n = 0; n < 40; n++) {
      await setToken({
        identity: identity('APNS', n),
        deviceId: 1n,
        slot: regular,
        tokenType: 0x05,
        token: apnsToken(n),
      });
    }
  });

  afterAll(async () => {
    await nats.close();
    await push.stop();
  });

  async function apnsLatencies(from: number, count: number): Promise<number[]> {
    const started = new Map<string, number>();
    for (let n = from; n < from + count; n++) {
      started.set(Buffer.from([0xab, n]).toString('hex'), Date.now());
      await publishWakeUp(nats, identity('APNS', n));
    }
    const received = await receivedBy(push.fakes, 'apns', count, 15_000);
    return received.map((r) => r.at - (started.get(r.path.replace('/3/device/', '')) ?? r.at));
  }

  it('keeps APNs latency normal while FCM hangs, and opens the FCM circuit', async () => {
    const baseline = await apnsLatencies(0, 10);
    await push.fakes.control('/_fake/reset', {});
    await push.fakes.control('/_fake/behaviour', { provider: 'fcm', hangMs: 60_000 });
    for (let n = 0; n < 100; n++) await publishWakeUp(nats, identity('FCMH', n));
    // let the consumer take the FCM wake-ups first, so that they hold the FCM bulkhead while APNs is measured
    await new Promise((resolve) => setTimeout(resolve, 500));
    const during = await apnsLatencies(10, 10);
    expect(Math.max(...during)).toBeLessThan(Math.max(1_000, 5 * Math.max(...baseline)));
    await waitFor(
      async () =>
        /ots_push_circuit_open\{provider="fcm"[^}]*\} 1/.test(
          (await httpGet(`http://127.0.0.1:${String(push.service.httpPort)}/metrics`)).body,
        ),
      { timeoutMs: 15_000, description: 'FCM circuit open' },
    );
  });

  it('keeps APNs latency normal while FCM answers 503', async () => {
    await push.fakes.control('/_fake/reset', {});
    await push.fakes.control('/_fake/behaviour', { provider: 'fcm', reason: 'UNAVAILABLE' });
    for (let n = 0; n < 100; n++)
      await publishWakeUp(nats, identity('FCMH', n), { createdAtMs: BigInt(Date.now()) });
    const during = await apnsLatencies(20, 10);
    expect(Math.max(...during)).toBeLessThan(1_000);
  });
});
