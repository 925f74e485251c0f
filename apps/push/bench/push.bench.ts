// `npm run bench:push` (BENCH_PUSH_COUNT wake-ups per provider, default 10000): wake-ups per second through the push service to the APNs fake (one HTTP/2 session, TLS)
// and to the FCM fake (h2c), end to end: JetStream work queue → token look-up in PostgreSQL → provider → ack.
import { pushWakeupSubject, pushWakeupV1 } from '@ots/contracts';
import { createPushPrismaClient } from '@ots/push-db';
import { connect } from 'nats';

import { PushProviders } from '../src/infrastructure/push-providers';
import { startPushForTest } from '../test/start-push';

const COUNT = Number(process.env.BENCH_PUSH_COUNT ?? 10_000);
const APNS_KEY = Buffer.alloc(32, 3);

function identity(prefix: string, n: number): string {
  return `${prefix}${n.toString(36).toUpperCase().padStart(6, '0')}`;
}

async function bench(): Promise<string[]> {
  const push = await startPushForTest({
    LOG_LEVEL: 'error',
    PUSH_MAX_IN_FLIGHT: '512',
    PUSH_PROVIDER_MAX_IN_FLIGHT: '512',
  });
  const nats = await connect({ servers: push.nats.url });
  const prisma = createPushPrismaClient(push.postgres.url, 4);
  try {
    const rows = [];
    for (let n = 0; n < COUNT; n++) {
      const apnsToken = Buffer.concat([
        Buffer.from(n.toString(16).padStart(8, '0'), 'hex'),
        Buffer.from('|app.bench|'),
        APNS_KEY,
      ]);
      rows.push({
        identity: identity('AP', n),
        deviceId: 1n,
        slot: 1,
        tokenType: 0x05,
        token: apnsToken,
        setAt: new Date(),
      });
      rows.push({
        identity: identity('FC', n),
        deviceId: 1n,
        slot: 1,
        tokenType: 0x11,
        token: Buffer.from(`bench-${String(n)}`),
        setAt: new Date(),
      });
    }
    for (let i = 0; i < rows.length; i += 5_000)
      await prisma.pushToken.createMany({ data: rows.slice(i, i + 5_000) });
    const js = nats.jetstream();
    // the stream exists once the service's consumer is up
    for (;;) {
      try {
        await (await nats.jetstreamManager()).consumers.info('PUSH_WAKEUPS', 'push-sender');
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const providers = push.service.app.get(PushProviders);
    const results: string[] = [];
    for (const [provider, prefix] of [
      ['apns', 'AP'],
      ['fcm', 'FC'],
    ] as const) {
      await push.fakes.control('/_fake/reset', {});
      const started = Date.now();
      const pending: Promise<unknown>[] = [];
      for (let n = 0; n < COUNT; n++) {
        const now = BigInt(Date.now());
        const data = pushWakeupV1.WakeUp.encode({
          identity: identity(prefix, n),
          createdAtMs: now,
          expiresAtMs: now + 600_000n,
          voip: false,
          group: false,
        }).finish();
        pending.push(js.publish(pushWakeupSubject(identity(prefix, n)), data));
        if (pending.length >= 1_000) await Promise.all(pending.splice(0));
      }
      await Promise.all(pending);
      const published = Date.now();
      for (;;) {
        const { counts } = (await push.fakes.control('/_fake/received?provider=none')) as {
          counts: Record<string, number>;
        };
        if (counts[provider] >= COUNT) break;
        if (Date.now() - started > 300_000)
          throw new Error(`${provider}: only ${String(counts[provider])} of ${String(COUNT)} arrived`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const seconds = (Date.now() - started) / 1000;
      const sessions =
        provider === 'apns'
          ? `HTTP/2 sessions opened: ${String((providers.apns?.production.sessionsOpened ?? 0) + (providers.apns?.development.sessionsOpened ?? 0))}`
          : `OAuth tokens fetched: ${String(providers.fcm?.tokens.fetches ?? 0)}`;
      results.push(
        `${provider.padEnd(5)} ${String(COUNT)} wake-ups in ${seconds.toFixed(2)} s = ${Math.round(COUNT / seconds).toLocaleString('en')} wake-ups/s (published in ${((published - started) / 1000).toFixed(2)} s; ${sessions})`,
      );
    }
    return results;
  } finally {
    await prisma.$disconnect();
    await nats.close();
    await push.stop();
  }
}

it('measures wake-ups per second through the APNs and FCM fakes', async () => {
  const results = await bench();
  process.stdout.write(`\nbench:push\n${results.join('\n')}\n`);
  expect(results).toHaveLength(2);
});
