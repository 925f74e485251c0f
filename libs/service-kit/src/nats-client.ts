import { NotReadyError } from '@ots/observability';
import { connect, type NatsConnection } from 'nats';

export interface NatsSettings {
  readonly servers: readonly string[];
  /** connection name shown in the NATS monitoring endpoints: the service name, never an identity */
  readonly name: string;
  /** the server does not send this connection's own publishes back to its subscriptions */
  readonly noEcho?: boolean;
}

const DRAIN_TIMEOUT_MS = 2_000;

/**
 * The process's NATS connection, established in the background: a service boots and answers /healthz while NATS
 * is unreachable (so an orchestrator does not restart it in a loop), reports not-ready, and connects as soon as
 * NATS answers; after that, the client reconnects forever.
 */
export class NatsClient {
  private current: NatsConnection | undefined;
  private closed = false;
  readonly connected: Promise<NatsConnection>;

  constructor(settings: NatsSettings) {
    this.connected = connect({
      servers: [...settings.servers],
      name: settings.name,
      noEcho: settings.noEcho ?? false,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
      // without it every request (each JetStream publish: a mailbox's wake-ups) captures two stack traces for
      // errors that almost never happen; a profile of the mailbox under offline load showed them at ~10 % of its CPU
      noAsyncTraces: true,
    }).then(async (connection) => {
      if (this.closed) {
        await connection.close();
        throw new Error('NATS client closed before it connected');
      }
      this.current = connection;
      return connection;
    });
    // a rejection is observed by whoever awaits `connected`; never an unhandled one
    this.connected.catch(() => undefined);
  }

  /** The connection once established; throws before that (callers on a request path answer "unavailable"). */
  get connection(): NatsConnection {
    if (!this.current) throw new NotReadyError('NATS is not connected yet');
    return this.current;
  }

  /** Readiness: connected and a round trip to the server succeeds. */
  async ping(): Promise<void> {
    const connection = this.connection;
    if (connection.isClosed()) throw new NotReadyError('NATS connection closed');
    await connection.flush();
  }

  /** Drain (finish in-flight messages) when connected; never wait on a server that is gone. */
  async close(onDrainError: (error: unknown) => void): Promise<void> {
    this.closed = true;
    const connection = this.current;
    if (!connection || connection.isClosed()) return;
    try {
      await Promise.race([
        connection.drain(),
        new Promise((_, reject) =>
          setTimeout(() => {
            reject(new Error('drain timed out'));
          }, DRAIN_TIMEOUT_MS).unref(),
        ),
      ]);
    } catch (error) {
      onDrainError(error);
    }
    if (!connection.isClosed()) await connection.close();
  }
}
