import { type ClientHttp2Session, connect, constants, type IncomingHttpHeaders } from 'node:http2';

export interface Http2Response {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface Http2OriginOptions {
  /** extra trusted CA (PEM), e.g. a local fake's certificate */
  readonly ca?: string;
  /** streams open at once on the session; further requests wait for a free one */
  readonly maxConcurrentStreams?: number;
  /** PING an idle session this often to notice a dead connection (spec push-providers §6.1) */
  readonly pingIntervalMs?: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One long-lived HTTP/2 session per origin (`https://` or h2c `http://`), reused by every request. After GOAWAY,
 * an error or a close the session is dropped and the next request opens a new one; every stream is bounded in
 * number and cancelled when its signal aborts (the per-request timeout).
 */
export class Http2Origin {
  private session: ClientHttp2Session | undefined;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private pingTimer: NodeJS.Timeout | undefined;
  sessionsOpened = 0;

  constructor(
    readonly origin: string,
    private readonly options: Http2OriginOptions = {},
  ) {}

  async request(
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    signal: AbortSignal,
  ): Promise<Http2Response> {
    await this.acquire(signal);
    try {
      return await this.exchange(headers, body, signal);
    } finally {
      this.release();
    }
  }

  /** Drop the session (e.g. after 503 or GOAWAY-like answers): the next request opens a fresh one. */
  reset(): void {
    const session = this.session;
    this.session = undefined;
    if (session && !session.destroyed) session.close();
  }

  close(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    const session = this.session;
    this.session = undefined;
    session?.destroy();
  }

  private exchange(
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    signal: AbortSignal,
  ): Promise<Http2Response> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        return;
      }
      let stream;
      try {
        stream = this.currentSession().request(headers, { endStream: body === undefined, signal });
      } catch (error) {
        this.reset();
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let status = 0;
      let responseHeaders: IncomingHttpHeaders = {};
      stream.on('response', (received) => {
        responseHeaders = received;
        status = Number(received[constants.HTTP2_HEADER_STATUS]);
      });
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
      });
      stream.on('end', () => {
        resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks) });
      });
      stream.on('error', (error: Error) => {
        reject(error);
      });
      stream.on('close', () => {
        if (status === 0)
          reject(new Error(`stream closed without a response (code ${String(stream.rstCode)})`));
      });
      if (body !== undefined) stream.end(body);
    });
  }

  private currentSession(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.origin, {
      ...(this.options.ca ? { ca: this.options.ca } : {}),
      peerMaxConcurrentStreams: this.options.maxConcurrentStreams ?? 100,
    });
    this.sessionsOpened++;
    const forget = (): void => {
      if (this.session === session) this.session = undefined;
    };
    // always handle session errors: an unhandled ECONNRESET would crash the process (push-providers §6.3)
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    session.on('frameError', forget);
    session.unref();
    this.session = session;
    this.startPing();
    return session;
  }

  private startPing(): void {
    if (this.pingTimer || !this.options.pingIntervalMs) return;
    this.pingTimer = setInterval(() => {
      const session = this.session;
      if (!session || this.active > 0) return;
      session.ping((error) => {
        if (error) this.reset();
      });
    }, this.options.pingIntervalMs);
    this.pingTimer.unref();
  }

  private async acquire(signal: AbortSignal): Promise<void> {
    const limit = this.options.maxConcurrentStreams ?? 100;
    while (this.active >= limit) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
