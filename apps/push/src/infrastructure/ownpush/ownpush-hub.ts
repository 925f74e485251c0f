import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import { constantTimeEqual, hmacSha256 } from '@ots/crypto';
import { type WebSocket, WebSocketServer } from 'ws';

import { OWN_PUSH_ID_LENGTH, parsePushTarget, type PushTarget } from '../../domain/tokens/push-target';
import type { TokenStore } from '../../domain/tokens/token-store';
import type { PushProvider, SendOutcome } from '../../domain/wakeups/provider';

/** Public path of the own-push WebSocket (routed to push by PUBLIC_ROUTES' `/push/`). */
export const OWN_PUSH_PATH = '/push/v1/stream';
const AUTH_TIMEOUT_MS = 10_000;
const MAX_FRAME_BYTES = 1_024;
const MAX_PENDING_FLAGS = 500_000;
/** WebSocket close codes: authentication failed or timed out; replaced by a newer connection of the device. */
export const CLOSE_AUTH_FAILED = 4401;
export const CLOSE_REPLACED = 4409;

type OwnPushTarget = Extract<PushTarget, { provider: 'ownpush' }>;

/**
 * Keeps the push instances' pending flags in step (docs/adr/0010): a wake-up handled by one instance reaches the
 * device on whichever instance holds its connection, and an ack clears the flag everywhere. Messages name the
 * device's push ID only, never an identity.
 */
export interface OwnPushBus {
  publish(kind: 'wake' | 'ack', pushId: string): void;
}

/**
 * Our own push channel (spec push-providers §4.2, docs/adr/0010-push-gateway.md): the device opens a WebSocket,
 * the server sends `{"t":"hello","nonce":…}`, the device proves its per-device secret with
 * `{"t":"auth","id":<push ID base64url>,"mac":<base64 HMAC-SHA256(secret, "v1" ‖ nonce)>}` — never in a URL.
 * A wake-up is `{"t":"wake","seq":n}` (no content); an offline device gets one pending flag, signalled when it
 * reconnects and cleared by its `{"t":"ack"}`. The server pings every keepalive interval.
 */
export class OwnPushHub implements PushProvider<OwnPushTarget> {
  readonly name = 'ownpush' as const;
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly connections = new Map<string, WebSocket>();
  private readonly pending = new Set<string>();
  private readonly alive = new WeakSet<WebSocket>();
  private seq = 0;
  private keepaliveTimer: NodeJS.Timeout | undefined;

  private bus: OwnPushBus | undefined;

  constructor(
    private readonly tokens: Pick<TokenStore, 'findByOwnPushId'>,
    private readonly keepaliveS: number,
    private readonly onConnectionCount: (count: number) => void = () => undefined,
  ) {}

  connectBus(bus: OwnPushBus): void {
    this.bus = bus;
  }

  /** Another instance handled a wake-up (`wake`) or the device acknowledged there (`ack`). */
  onBusMessage(kind: 'wake' | 'ack', pushId: string): void {
    if (kind === 'ack') {
      this.pending.delete(pushId);
      return;
    }
    this.markPending(pushId);
    const ws = this.connections.get(pushId);
    if (ws) this.wake(ws);
  }

  attach(httpServer: Server): void {
    httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? '').split('?')[0];
      if (path !== OWN_PUSH_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      this.server.handleUpgrade(request, socket, head, (ws) => {
        this.accept(ws);
      });
    });
    this.keepaliveTimer = setInterval(() => {
      this.keepalive();
    }, this.keepaliveS * 1000);
    this.keepaliveTimer.unref();
  }

  close(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    for (const ws of this.server.clients) ws.terminate();
    this.server.close();
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  isPending(pushId: Uint8Array): boolean {
    return this.pending.has(Buffer.from(pushId).toString('base64url'));
  }

  send(target: OwnPushTarget): Promise<SendOutcome> {
    const id = Buffer.from(target.pushId).toString('base64url');
    const ws = this.connections.get(id);
    // the flag is set first and cleared by the device's ack, so a wake written to a dying socket is not lost
    this.markPending(id);
    if (ws) this.wake(ws);
    this.bus?.publish('wake', id);
    return Promise.resolve({ kind: 'sent' });
  }

  private accept(ws: WebSocket): void {
    const nonce = randomBytes(32);
    let authenticatedAs: string | undefined;
    const timer = setTimeout(() => {
      ws.close(CLOSE_AUTH_FAILED, 'authentication timed out');
    }, AUTH_TIMEOUT_MS);
    this.alive.add(ws);
    ws.on('pong', () => {
      this.alive.add(ws);
    });
    ws.on('error', () => {
      ws.terminate();
    });
    ws.on('close', () => {
      clearTimeout(timer);
      if (authenticatedAs && this.connections.get(authenticatedAs) === ws) {
        this.connections.delete(authenticatedAs);
        this.onConnectionCount(this.connections.size);
      }
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      this.alive.add(ws);
      const frame = isBinary ? undefined : parseFrame(data);
      if (!frame) {
        ws.close(1003, 'malformed frame');
        return;
      }
      if (!authenticatedAs) {
        if (frame.t !== 'auth') {
          ws.close(CLOSE_AUTH_FAILED, 'authenticate first');
          return;
        }
        void this.authenticate(frame, nonce).then((id) => {
          clearTimeout(timer);
          if (!id || ws.readyState !== ws.OPEN) {
            ws.close(CLOSE_AUTH_FAILED, 'authentication failed');
            return;
          }
          authenticatedAs = id;
          this.connections.get(id)?.close(CLOSE_REPLACED, 'replaced by a newer connection');
          this.connections.set(id, ws);
          this.onConnectionCount(this.connections.size);
          ws.send(JSON.stringify({ t: 'ok' }));
          if (this.pending.has(id)) this.wake(ws);
        });
        return;
      }
      if (frame.t === 'ack') {
        this.pending.delete(authenticatedAs);
        this.bus?.publish('ack', authenticatedAs);
      }
    });
    ws.send(JSON.stringify({ t: 'hello', nonce: nonce.toString('base64'), keepalive: this.keepaliveS }));
  }

  private async authenticate(frame: Record<string, unknown>, nonce: Buffer): Promise<string | undefined> {
    if (typeof frame.id !== 'string' || typeof frame.mac !== 'string') return undefined;
    const pushId = Buffer.from(frame.id, 'base64url');
    const mac = Buffer.from(frame.mac, 'base64');
    if (pushId.length !== OWN_PUSH_ID_LENGTH || mac.length !== 32) return undefined;
    const stored = await this.tokens.findByOwnPushId(pushId).catch(() => undefined);
    if (!stored) return undefined;
    const target = parsePushTarget(stored.tokenType, stored.token);
    if (target?.provider !== 'ownpush') return undefined;
    const expected = hmacSha256(target.secret, Buffer.concat([Buffer.from('v1'), nonce]));
    return constantTimeEqual(expected, mac) ? pushId.toString('base64url') : undefined;
  }

  private markPending(id: string): void {
    if (this.pending.size < MAX_PENDING_FLAGS || this.pending.has(id)) this.pending.add(id);
  }

  private wake(ws: WebSocket): void {
    this.seq++;
    ws.send(JSON.stringify({ t: 'wake', seq: this.seq }));
  }

  private keepalive(): void {
    for (const ws of this.server.clients) {
      // silent for a whole interval since the last ping: the connection is dead
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}

function parseFrame(data: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
