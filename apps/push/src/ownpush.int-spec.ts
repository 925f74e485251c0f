import { randomBytes } from 'node:crypto';

import { pushV1 } from '@ots/contracts';
import { hmacSha256 } from '@ots/crypto';
import { httpGet } from '@ots/testing';
import { connect, type NatsConnection } from 'nats';
import WebSocket from 'ws';

import { call, startPushForTest, type TestPush } from '../test/start-push';
import { publishWakeUp } from '../test/wakeups';
import { WakeUpConsumer } from './infrastructure/wakeup-consumer';

interface Frame {
  t: string;
  nonce?: string;
  seq?: number;
  keepalive?: number;
}

/** A device of our own push channel (docs/adr/0010-push-gateway.md), as a client would implement it. */
class OwnPushDevice {
  readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  closeCode: number | undefined;
  pings = 0;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString('utf8')) as Frame);
      this.notify();
    });
    ws.on('ping', () => {
      this.pings++;
      this.notify();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.notify();
    });
  }

  static async open(url: string): Promise<OwnPushDevice> {
    const ws = new WebSocket(url);
    const device = new OwnPushDevice(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        resolve();
      });
      ws.once('error', reject);
    });
    return device;
  }

  async next(type: string, timeoutMs = 5_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex((f) => f.t === type);
      if (index >= 0) return this.frames.splice(index, 1)[0];
      if (this.closeCode !== undefined)
        throw new Error(`closed with ${String(this.closeCode)} before ${type}`);
      if (Date.now() > deadline) throw new Error(`no ${type} frame within ${String(timeoutMs)} ms`);
      await this.changed(deadline - Date.now());
    }
  }

  async closed(timeoutMs = 5_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined && Date.now() < deadline) await this.changed(deadline - Date.now());
    if (this.closeCode === undefined) throw new Error('not closed');
    return this.closeCode;
  }

  async authenticate(pushId: Buffer, secret: Buffer): Promise<void> {
    const hello = await this.next('hello');
    const mac = hmacSha256(
      secret,
      Buffer.concat([Buffer.from('v1'), Buffer.from(hello.nonce ?? '', 'base64')]),
    );
    this.ws.send(
      JSON.stringify({
        t: 'auth',
        id: pushId.toString('base64url'),
        mac: Buffer.from(mac).toString('base64'),
      }),
    );
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  private changed(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, timeoutMs));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

describe('own push channel (real PostgreSQL, NATS and WebSocket)', () => {
  let push: TestPush;
  let nats: NatsConnection;
  const pushId = randomBytes(20);
  const secret = randomBytes(32);
  const devices: OwnPushDevice[] = [];

  const url = () => `ws://127.0.0.1:${String(push.service.httpPort)}/push/v1/stream`;
  const open = async () => {
    const device = await OwnPushDevice.open(url());
    devices.push(device);
    return device;
  };

  beforeAll(async () => {
    push = await startPushForTest({ PUSH_OWNPUSH_KEEPALIVE_S: '1' });
    nats = await connect({ servers: push.nats.url });
    await call<pushV1.SetTokenRequest, pushV1.SetTokenResponse>(push.client.setToken.bind(push.client), {
      identity: 'OWNPUSH1',
      deviceId: 3n,
      slot: pushV1.TokenSlot.TOKEN_SLOT_REGULAR,
      tokenType: 0x70,
      token: Buffer.concat([pushId, secret]),
    });
  });

  afterAll(async () => {
    for (const device of devices) device.ws.terminate();
    await nats.close();
    await push.stop();
  });

  it('closes a connection whose challenge response is wrong (4401)', async () => {
    const device = await open();
    await device.authenticate(pushId, randomBytes(32));
    expect(await device.closed()).toBe(4401);
  });

  it('closes a connection that sends anything before authenticating', async () => {
    const device = await open();
    await device.next('hello');
    device.send({ t: 'ack' });
    expect(await device.closed()).toBe(4401);
  });

  it('refuses other paths on the HTTP port', async () => {
    await expect(OwnPushDevice.open(url().replace('/push/v1/stream', '/push/v1/other'))).rejects.toThrow(
      /404/,
    );
  });

  it('wakes a connected device without content and pings it', async () => {
    const device = await open();
    await device.authenticate(pushId, secret);
    await device.next('ok');
    expect((await httpGet(`http://127.0.0.1:${String(push.service.httpPort)}/metrics`)).body).toMatch(
      /ots_push_ownpush_connections\{[^}]*\} 1/,
    );
    await publishWakeUp(nats, 'OWNPUSH1');
    const wake = await device.next('wake');
    expect(Object.keys(wake).sort()).toEqual(['seq', 't']);
    device.send({ t: 'ack', seq: wake.seq });
    const start = Date.now();
    while (device.pings === 0 && Date.now() - start < 3_000) await new Promise((r) => setTimeout(r, 50));
    expect(device.pings).toBeGreaterThan(0);
    device.ws.close();
    await device.closed();
  });

  it('signals the pending flag once when an offline device reconnects', async () => {
    await publishWakeUp(nats, 'OWNPUSH1', { createdAtMs: BigInt(Date.now()) });
    await publishWakeUp(nats, 'OWNPUSH1', { createdAtMs: BigInt(Date.now() + 1) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const device = await open();
    await device.authenticate(pushId, secret);
    await device.next('ok');
    const wake = await device.next('wake');
    device.send({ t: 'ack', seq: wake.seq });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(device.frames.filter((f) => f.t === 'wake')).toEqual([]);
    device.ws.close();
    await device.closed();

    // acknowledged: the next connection is not woken again
    const again = await open();
    await again.authenticate(pushId, secret);
    await again.next('ok');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(again.frames.filter((f) => f.t === 'wake')).toEqual([]);
  });

  it('wakes a device connected to another push instance, and the ack clears the flag on both', async () => {
    const other = await push.startAnother();
    // the other instance only holds WebSocket connections: its wake-up consumer is stopped
    await other.app.get(WakeUpConsumer).beforeApplicationShutdown();
    const device = await OwnPushDevice.open(`ws://127.0.0.1:${String(other.httpPort)}/push/v1/stream`);
    devices.push(device);
    await device.authenticate(pushId, secret);
    await device.next('ok');
    await publishWakeUp(nats, 'OWNPUSH1', { createdAtMs: BigInt(Date.now() + 10_000) });
    const wake = await device.next('wake');
    device.send({ t: 'ack', seq: wake.seq });
    await new Promise((resolve) => setTimeout(resolve, 300));
    device.ws.close();
    await device.closed();

    // the first instance learned about the ack: reconnecting there brings no stale wake
    const again = await open();
    await again.authenticate(pushId, secret);
    await again.next('ok');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(again.frames.filter((f) => f.t === 'wake')).toEqual([]);
  });
});
