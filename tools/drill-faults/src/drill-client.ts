import { connectCsp, type CspSession, type IncomingCspMessage } from '@ots/client';

export interface ChatEndpoint {
  readonly host: string;
  readonly port: number;
}

export interface DrillClientOptions {
  readonly identity: string;
  readonly secretKey: Uint8Array;
  readonly serverPublicKey: Uint8Array;
  /** mailbox instances in order of preference; a client falls over to the next one when one refuses */
  readonly endpoints: readonly ChatEndpoint[];
  readonly onMessage: (message: IncomingCspMessage) => void;
  /** resend a message still unacknowledged after this long on the same connection */
  readonly resendAfterMs?: number;
}

interface PendingSend {
  readonly struct: Uint8Array;
  readonly resolve: () => void;
  /** the session it was last written to, and when */
  session: CspSession | undefined;
  writtenAt: number;
}

const RECONNECT_DELAY_MS = 200;
const LOGIN_TIMEOUT_MS = 5_000;

/**
 * A chat client as a real app behaves: it stays connected (reconnecting to the next mailbox instance when its
 * connection drops) and keeps every outgoing message until the server acknowledged it (0x81), sending it again,
 * with the same message ID, after each reconnect.
 */
export class DrillClient {
  readonly identity: string;
  private session: CspSession | undefined;
  private readonly pending = new Map<string, PendingSend>();
  private wanted = false;
  /** index into options.endpoints of the current session */
  private endpointIndex = 0;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private resendTimer: NodeJS.Timeout | undefined;
  /** logins that succeeded (the first one included) */
  logins = 0;

  constructor(private readonly options: DrillClientOptions) {
    this.identity = options.identity;
  }

  get connected(): boolean {
    return this.session !== undefined;
  }

  /** Stay online from now on; resolves once the first login succeeded. */
  async goOnline(): Promise<CspSession> {
    this.wanted = true;
    this.loop ??= this.connectLoop();
    this.resendTimer ??= setInterval(() => {
      this.resendStale();
    }, 1_000);
    for (;;) {
      if (this.session) return this.session;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  /** Disconnect and stay offline (pending messages are kept for the next goOnline). */
  async goOffline(): Promise<void> {
    this.wanted = false;
    clearInterval(this.resendTimer);
    this.resendTimer = undefined;
    const session = this.session;
    this.session = undefined;
    await session?.close();
    await this.loop;
    this.loop = undefined;
  }

  /** Resolves once the server acknowledged the message, however many reconnects that takes. */
  send(key: string, struct: Uint8Array): Promise<void> {
    return new Promise((resolve) => {
      const entry: PendingSend = { struct, resolve, session: undefined, writtenAt: 0 };
      this.pending.set(key, entry);
      this.transmit(key, entry);
    });
  }

  /**
   * Back to the first (preferred) mailbox instance if connected elsewhere, as a load balancer spreads new
   * connections again once a restarted instance is back: a planned reconnect, pending messages go out again.
   */
  async returnToPreferred(): Promise<void> {
    const session = this.session;
    if (!session || this.endpointIndex === 0) return;
    await session.close();
  }

  get unacknowledged(): number {
    return this.pending.size;
  }

  private transmit(key: string, entry: PendingSend): void {
    const session = this.session;
    if (!session) return; // sent after the next login
    entry.session = session;
    entry.writtenAt = Date.now();
    session.sendMessage(entry.struct).then(
      () => {
        if (this.pending.get(key) !== entry) return;
        this.pending.delete(key);
        entry.resolve();
      },
      () => undefined, // the connection closed first: resent after the reconnect
    );
  }

  /** A message refused without an ack (e.g. a full queue) stays pending on a live connection: try it again. */
  private resendStale(): void {
    const limit = Date.now() - (this.options.resendAfterMs ?? 10_000);
    for (const [key, entry] of this.pending) {
      if (entry.session === this.session && entry.writtenAt < limit) this.transmit(key, entry);
    }
  }

  /** (a method, so that the check after an await is not narrowed away) */
  private stillWanted(): boolean {
    return this.wanted;
  }

  private async connectLoop(): Promise<void> {
    let attempt = 0;
    while (this.wanted) {
      const index = attempt % this.options.endpoints.length;
      const endpoint = this.options.endpoints[index];
      attempt += 1;
      let session: CspSession;
      try {
        session = await connectCsp({
          host: endpoint.host,
          port: endpoint.port,
          serverPublicKey: this.options.serverPublicKey,
          identity: this.options.identity,
          secretKey: this.options.secretKey,
          timeoutMs: LOGIN_TIMEOUT_MS,
        });
      } catch {
        await sleep(attempt % this.options.endpoints.length === 0 ? RECONNECT_DELAY_MS : 0);
        continue;
      }
      if (!this.stillWanted()) {
        await session.close();
        return;
      }
      attempt = 0;
      this.endpointIndex = index;
      this.logins += 1;
      session.onMessage(this.options.onMessage);
      this.session = session;
      this.wake?.();
      for (const [key, entry] of this.pending) this.transmit(key, entry);
      await session.closed;
      if (this.session === session) this.session = undefined;
    }
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
