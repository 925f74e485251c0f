// The chat-server connection as the rest of the SDK (and the CLI) sees it. Implemented by CspClient
// (csp-client.ts): handshake (spec §1.3), framing (§1.5), payloads (§1.6).

/** What a client needs to log in to a chat server (from the provisioning file and the local profile). */
export interface CspLoginOptions {
  readonly host: string;
  readonly port: number;
  /** The server's permanent public key (SK), pinned from the provisioning file. */
  readonly serverPublicKey: Uint8Array;
  /** The client's identity (8 characters) and its permanent secret key (CK.secret). */
  readonly identity: string;
  readonly secretKey: Uint8Array;
  /** Login extension 0x01, only for multi-device clients. */
  readonly deviceId?: bigint;
  /** Login extension 0x03, 16 bytes. */
  readonly deviceCookie?: Uint8Array;
  /** Login extension 0x02 bit mask; default 0x03 (metadata box + echo requests). */
  readonly supportedFeatures?: number;
  /** Login extension 0x00, e.g. `0.1;B;en/US;linux;x64`. */
  readonly clientInfo?: string;
  /** Give up connecting or logging in after this long (default 10 s). */
  readonly timeoutMs?: number;
}

/** An incoming message (payload 0x02) as received, struct still encoded. */
export interface IncomingCspMessage {
  /** The struct of payload 0x02 (message-with-metadata-box, or legacy-message for legacy clients). */
  readonly struct: Uint8Array;
  readonly senderIdentity: string;
  readonly messageId: bigint;
  readonly flags: number;
  /** Send the 0x82 ack for this message (a no-op when the message carries flag 0x04). */
  ack(): void;
}

export interface CspCloseInfo {
  /** The server's close-error (0xe0) text, if it sent one. */
  readonly closeErrorMessage?: string;
  readonly canReconnect?: boolean;
  /** Set when the connection failed rather than being closed by either side. */
  readonly error?: Error;
}

/** A logged-in chat-server connection. */
export interface CspSession {
  readonly identity: string;
  /** From login-ack: the server's clock and the number of messages queued at login. */
  readonly serverTimeMs: bigint;
  readonly queuedAtLogin: number;
  /**
   * Send an outgoing message (payload 0x01, the encoded struct). Resolves when the server acked it (0x81), or once
   * written when the message has flag 0x04 (no server ack). Rejects when the connection closes first.
   */
  sendMessage(struct: Uint8Array): Promise<void>;
  /** Handler for incoming messages (0x02). Messages received before a handler is set are buffered. */
  onMessage(handler: (message: IncomingCspMessage) => void): void;
  /** Resolves when the server sent queue-send-complete (0xd0). */
  readonly queueSendComplete: Promise<void>;
  /** Handler for alerts (0xe1). */
  onAlert(handler: (text: string) => void): void;
  /** Resolves when the connection is closed, by either side, with the reason. */
  readonly closed: Promise<CspCloseInfo>;
  /** Payloads 0x20 / 0x24 (spec §7.1): `tokenType` byte and the token bytes. */
  setPushToken(tokenType: number, token: Uint8Array, voip?: boolean): void;
  /** Payload 0x25. */
  deletePushTokens(deviceIds: readonly bigint[]): void;
  /** Payload 0x03 (multi-device leader: deliver incoming messages). */
  unblockIncomingMessages(): void;
  /** Sends an echo-request and resolves with the round-trip time in ms. */
  echo(): Promise<number>;
  close(): Promise<void>;
}
