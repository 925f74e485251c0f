import { Events, type NatsConnection } from 'nats';

export interface NatsConnectionHandlers {
  /** the connection to the server dropped (the client reconnects by itself) */
  disconnected(): void;
  /** the connection is back, with every subscription re-established */
  reconnected(): void;
}

/**
 * Calls the handlers on the connection's disconnect and reconnect events, until the connection closes. While it
 * was away, core NATS messages to and from this process (live-delivery signals, presence replies) were lost.
 */
export function watchNatsConnection(connection: NatsConnection, handlers: NatsConnectionHandlers): void {
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === Events.Disconnect) handlers.disconnected();
      else if (status.type === Events.Reconnect) {
        // the server has taken our subscriptions once this round trip returns
        await connection.flush().catch(() => undefined);
        handlers.reconnected();
      }
    }
  })().catch(() => undefined);
}
