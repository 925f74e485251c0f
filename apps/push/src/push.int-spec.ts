import { status } from '@grpc/grpc-js';
import { pushV1, type pushWakeupV1 } from '@ots/contracts';
import { secretboxOpen } from '@ots/crypto';
import { httpGet, waitFor } from '@ots/testing';
import { connect, type NatsConnection } from 'nats';

import { call, startPushForTest, type TestPush } from '../test/start-push';
import { publishWakeUp as publishWakeUpTo, receivedBy } from '../test/wakeups';

describe('push service (real PostgreSQL, NATS and provider fakes)', () => {
  let push: TestPush;
  let nats: NatsConnection;
  const apnsKey = Buffer.alloc(32, 0x5a);
  const apnsDeviceToken = Buffer.from('7c00aa7cbb01', 'hex'); // contains the separator byte 0x7c on purpose

  beforeAll(async () => {
    push = await startPushForTest();
    nats = await connect({ servers: push.nats.url });
  });

  afterAll(async () => {
    await nats.close();
    await push.stop();
  });

  beforeEach(async () => {
    await push.fakes.control('/_fake/reset', {});
  });

  const setToken = (
    identity: string,
    deviceId: bigint,
    tokenType: number,
    token: Buffer,
    slot = pushV1.TokenSlot.TOKEN_SLOT_REGULAR,
  ) =>
    call<pushV1.SetTokenRequest, pushV1.SetTokenResponse>(push.client.setToken.bind(push.client), {
      identity,
      deviceId,
      slot,
      tokenType,
      token,
    });
  const listTokens = (identity: string) =>
    call<pushV1.ListTokensRequest, pushV1.ListTokensResponse>(push.client.listTokens.bind(push.client), {
      identity,
    });
  const apnsToken = (bundle = 'ch.threema.iapp') =>
    Buffer.concat([apnsDeviceToken, Buffer.from(`|${bundle}|`), apnsKey]);

  const publishWakeUp = (identity: string, overrides: Partial<pushWakeupV1.WakeUp> = {}) =>
    publishWakeUpTo(nats, identity, overrides);
  const received = (provider: string, atLeast: number) => receivedBy(push.fakes, provider, atLeast);

  const metricsText = async () =>
    (await httpGet(`http://127.0.0.1:${String(push.service.httpPort)}/metrics`)).body;

  describe('push.v1 token registry', () => {
    it('stores regular and VoIP slots per device and lists them for the export', async () => {
      await setToken('TOKENS01', 1n, 0x11, Buffer.from('fcm-token-1'));
      await setToken('TOKENS01', 1n, 0x11, Buffer.from('fcm-token-1'), pushV1.TokenSlot.TOKEN_SLOT_VOIP);
      await setToken('TOKENS01', 0xffffffffffffffffn, 0x05, apnsToken());
      const listed = await listTokens('TOKENS01');
      expect(listed.devices.map((d) => [d.deviceId, d.pushToken?.tokenType, d.voipToken?.tokenType])).toEqual(
        [
          [1n, 0x11, 0x11],
          [0xffffffffffffffffn, 0x05, undefined],
        ],
      );
      expect(Buffer.from(listed.devices[1].pushToken!.data).equals(apnsToken())).toBe(true);
      expect(Number(listed.devices[0].pushToken!.setAtMs)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('clears a slot with type 0x00 and deletes other devices for 0x25', async () => {
      await setToken('TOKENS02', 1n, 0x11, Buffer.from('a'));
      await setToken('TOKENS02', 2n, 0x11, Buffer.from('b'));
      await setToken('TOKENS02', 3n, 0x13, Buffer.from('app|c'));
      await setToken('TOKENS02', 3n, 0x00, Buffer.alloc(0));
      expect((await listTokens('TOKENS02')).devices.map((d) => d.deviceId)).toEqual([1n, 2n]);
      await setToken('TOKENS02', 3n, 0x13, Buffer.from('app|c'));
      const deleted = await call<pushV1.DeleteTokensRequest, pushV1.DeleteTokensResponse>(
        push.client.deleteTokens.bind(push.client),
        {
          identity: 'TOKENS02',
          deviceIds: [],
          requestingDeviceId: 2n,
        },
      );
      expect(deleted.deleted).toBe(2);
      expect((await listTokens('TOKENS02')).devices.map((d) => d.deviceId)).toEqual([2n]);
    });

    it.each([
      ['a malformed identity', { identity: 'bad', tokenType: 0x11, token: Buffer.from('x') }],
      ['an unknown token type', { identity: 'TOKENS03', tokenType: 0x42, token: Buffer.from('x') }],
      [
        'an APNs token without its key',
        { identity: 'TOKENS03', tokenType: 0x05, token: Buffer.from('abc|bundle') },
      ],
      [
        'an HMS token without app ID',
        { identity: 'TOKENS03', tokenType: 0x13, token: Buffer.from('token-only') },
      ],
      [
        'an unspecified slot',
        {
          identity: 'TOKENS03',
          tokenType: 0x11,
          token: Buffer.from('x'),
          slot: pushV1.TokenSlot.TOKEN_SLOT_UNSPECIFIED,
        },
      ],
    ])('answers %s with INVALID_ARGUMENT', async (_case, fields) => {
      await expect(
        call<pushV1.SetTokenRequest, pushV1.SetTokenResponse>(push.client.setToken.bind(push.client), {
          deviceId: 1n,
          slot: pushV1.TokenSlot.TOKEN_SLOT_REGULAR,
          ...fields,
        }),
      ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
      expect((await listTokens('TOKENS03')).devices).toEqual([]);
    });

    it('answers a malformed identity in ListTokens and DeleteTokens with INVALID_ARGUMENT', async () => {
      await expect(listTokens('x')).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
      await expect(
        call<pushV1.DeleteTokensRequest, pushV1.DeleteTokensResponse>(
          push.client.deleteTokens.bind(push.client),
          {
            identity: 'lower123',
            deviceIds: [],
            requestingDeviceId: 0n,
          },
        ),
      ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    });
  });

  describe('wake-ups', () => {
    it('sends FCM a content-free, high-priority data message', async () => {
      await setToken('WAKEFCM1', 1n, 0x11, Buffer.from('fcm-wake-1'));
      await publishWakeUp('WAKEFCM1');
      const [request] = await received('fcm', 1);
      expect(request.status).toBe(200);
      expect(request.body).toEqual({
        message: {
          token: 'fcm-wake-1',
          data: { w: '1' },
          android: { priority: 'HIGH', ttl: expect.stringMatching(/^\d+s$/) },
        },
      });
      expect(JSON.stringify(request.body)).not.toContain('WAKEFCM1');
    });

    it('sends APNs an alert whose threema dictionary decrypts with the device key', async () => {
      await setToken('WAKEAPN1', 4n, 0x05, apnsToken());
      await publishWakeUp('WAKEAPN1', { group: true });
      const [request] = await received('apns', 1);
      expect(request.status).toBe(200);
      expect(request.path).toBe(`/3/device/${apnsDeviceToken.toString('hex')}`);
      expect(request.headers).toMatchObject({
        'apns-push-type': 'alert',
        'apns-topic': 'ch.threema.iapp',
        'apns-priority': '10',
      });
      const body = request.body as { aps: Record<string, unknown>; threema: { box: string; nonce: string } };
      expect(body.aps['mutable-content']).toBe(1);
      const plain = secretboxOpen(
        Buffer.from(body.threema.box, 'base64'),
        Buffer.from(body.threema.nonce, 'base64'),
        apnsKey,
      );
      expect(JSON.parse(Buffer.from(plain).toString('utf8'))).toEqual({ cmd: 'newgroupmsg', voip: 'false' });
      expect(JSON.stringify(request.body)).not.toContain('WAKEAPN1');
    });

    it('uses the VoIP token and push type for an immediate-delivery wake-up', async () => {
      await setToken('WAKEVOIP', 1n, 0x05, apnsToken());
      await setToken('WAKEVOIP', 1n, 0x05, apnsToken(), pushV1.TokenSlot.TOKEN_SLOT_VOIP);
      await publishWakeUp('WAKEVOIP', { voip: true });
      const [request] = await received('apns', 1);
      expect(request.headers).toMatchObject({
        'apns-push-type': 'voip',
        'apns-topic': 'ch.threema.iapp.voip',
      });
      expect(request.status).toBe(200);
    });

    it('sends HMS a content-free data message', async () => {
      await setToken('WAKEHMS1', 1n, 0x13, Buffer.from('10577123|hms-token-1'));
      await publishWakeUp('WAKEHMS1');
      const [request] = await received('hms', 1);
      expect(request.path).toBe('/v1/10577123/messages:send');
      expect(request.body).toMatchObject({ message: { data: '{}', token: ['hms-token-1'] } });
      expect(request.status).toBe(200);
    });

    it('deletes an FCM token answered UNREGISTERED', async () => {
      await setToken('GONEFCM1', 1n, 0x11, Buffer.from('fcm-gone'));
      await push.fakes.control('/_fake/behaviour', {
        provider: 'fcm',
        token: 'fcm-gone',
        reason: 'UNREGISTERED',
      });
      await publishWakeUp('GONEFCM1');
      await waitFor(async () => (await listTokens('GONEFCM1')).devices.length === 0, { timeoutMs: 10_000 });
      await waitFor(
        async () =>
          /ots_push_notifications_total\{provider="fcm",outcome="token_deleted",reason="UNREGISTERED"[^}]*\} 1/.test(
            await metricsText(),
          ),
        { timeoutMs: 10_000, description: 'token_deleted metric' },
      );
    });

    it('keeps an APNs token re-registered after the 410 timestamp, deletes one registered before', async () => {
      await setToken('GONEAPN1', 1n, 0x05, apnsToken());
      await push.fakes.control('/_fake/behaviour', {
        provider: 'apns',
        reason: 'Unregistered',
        timestamp: Date.now() - 3_600_000,
        times: 1,
      });
      await publishWakeUp('GONEAPN1');
      await received('apns', 1);
      await waitFor(async () => (await metricsText()).includes('outcome="failed",reason="Unregistered"'), {
        timeoutMs: 10_000,
      });
      expect((await listTokens('GONEAPN1')).devices).toHaveLength(1);

      await push.fakes.control('/_fake/behaviour', {
        provider: 'apns',
        reason: 'Unregistered',
        timestamp: Date.now() + 1_000,
        times: 1,
      });
      await publishWakeUp('GONEAPN1', { createdAtMs: BigInt(Date.now() + 5_000) });
      await waitFor(async () => (await listTokens('GONEAPN1')).devices.length === 0, { timeoutMs: 10_000 });
    });

    it('deletes the HMS tokens listed as illegal_tokens in a partial success', async () => {
      await setToken('GONEHMS1', 1n, 0x13, Buffer.from('10577123|hms-illegal'));
      await push.fakes.control('/_fake/behaviour', {
        provider: 'hms',
        reason: '80100000',
        illegalTokens: ['hms-illegal'],
      });
      await publishWakeUp('GONEHMS1');
      await waitFor(async () => (await listTokens('GONEHMS1')).devices.length === 0, { timeoutMs: 10_000 });
    });

    it('retries a 503 with Retry-After and then delivers', async () => {
      await setToken('RETRYFCM', 1n, 0x11, Buffer.from('fcm-retry'));
      await push.fakes.control('/_fake/behaviour', {
        provider: 'fcm',
        token: 'fcm-retry',
        reason: 'UNAVAILABLE',
        retryAfter: 0,
        times: 2,
      });
      await publishWakeUp('RETRYFCM');
      const requests = await received('fcm', 3);
      expect(requests.map((r) => r.status)).toEqual([503, 503, 200]);
    });

    it('fails an invalid-argument answer for good without retrying or deleting', async () => {
      await setToken('FAILHMS1', 1n, 0x13, Buffer.from('10577123|hms-bad'));
      await push.fakes.control('/_fake/behaviour', { provider: 'hms', reason: '80100003', status: 400 });
      await publishWakeUp('FAILHMS1');
      await received('hms', 1);
      await waitFor(
        async () => (await metricsText()).includes('provider="hms",outcome="failed",reason="80100003"'),
        { timeoutMs: 10_000 },
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await received('hms', 1)).toHaveLength(1);
      expect((await listTokens('FAILHMS1')).devices).toHaveLength(1);
    });

    it('drops an expired wake-up instead of sending it late', async () => {
      await setToken('EXPIRED1', 1n, 0x11, Buffer.from('fcm-expired'));
      await publishWakeUp('EXPIRED1', { createdAtMs: 1n, expiresAtMs: BigInt(Date.now() - 1) });
      await waitFor(
        async () => (await metricsText()).includes('provider="fcm",outcome="dropped_expired",reason="ttl"'),
        { timeoutMs: 10_000 },
      );
      expect(
        ((await push.fakes.control('/_fake/received?provider=fcm')) as { received: unknown[] }).received,
      ).toEqual([]);
    });

    it('wakes each device exactly once for a burst of messages', async () => {
      await setToken('BURST001', 1n, 0x11, Buffer.from('fcm-burst'));
      await setToken('BURST001', 2n, 0x05, apnsToken());
      const createdAtMs = BigInt(Date.now());
      for (let i = 0; i < 20; i++) await publishWakeUp('BURST001', { createdAtMs });
      await received('fcm', 1);
      await received('apns', 1);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await received('fcm', 1)).toHaveLength(1);
      expect(await received('apns', 1)).toHaveLength(1);
    });

    it('delivers wake-ups queued while the service was down after it restarts', async () => {
      await setToken('RESTART1', 1n, 0x11, Buffer.from('fcm-restart'));
      await push.service.stop();
      await publishWakeUp('RESTART1');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(
        ((await push.fakes.control('/_fake/received?provider=fcm')) as { received: unknown[] }).received,
      ).toEqual([]);
      await push.restart();
      const [request] = await received('fcm', 1);
      expect(request.body).toMatchObject({ message: { token: 'fcm-restart' } });
    });

    it('exposes the push metrics without identity labels', async () => {
      await setToken('METRICS1', 1n, 0x11, Buffer.from('fcm-metrics'));
      await publishWakeUp('METRICS1');
      await received('fcm', 1);
      await waitFor(
        async () => (await metricsText()).includes('ots_push_provider_request_duration_seconds_bucket'),
        {
          timeoutMs: 5_000,
          description: 'provider request histogram',
        },
      );
      const text = await metricsText();
      for (const name of [
        'ots_push_provider_request_duration_seconds_bucket',
        'ots_push_wakeups_pending',
        'ots_push_circuit_open',
        'ots_push_ownpush_connections',
      ]) {
        expect(text).toContain(name);
      }
      expect(text).not.toMatch(/[A-Z0-9]{8}"/);
    });
  });
});
