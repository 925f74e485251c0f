import type { IncomingCspMessage } from '@ots/client';
import { randomBytes } from '@ots/crypto';
import { encodeMessageWithMetadataBox } from '@ots/protocol';

let nextId = BigInt(Date.now()) << 16n;

export interface TestMessageOptions {
  readonly flags?: number;
  readonly messageId?: bigint;
  readonly createdAt?: number;
  readonly bodyLength?: number;
  readonly sender?: string;
}

/** An outgoing message-with-metadata-box with an opaque (random) box: the server never looks inside. */
export function testMessage(sender: string, receiver: string, options: TestMessageOptions = {}): Uint8Array {
  nextId += 1n;
  return encodeMessageWithMetadataBox({
    senderIdentity: options.sender ?? sender,
    receiverIdentity: receiver,
    messageId: options.messageId ?? nextId,
    createdAt: options.createdAt ?? Math.floor(Date.now() / 1000),
    flags: options.flags ?? 0x01,
    legacySenderNickname: new Uint8Array(32),
    metadataContainer: randomBytes(40),
    nonce: randomBytes(24),
    messageBox: randomBytes(options.bodyLength ?? 100),
  });
}

export function messageIdOf(struct: Uint8Array): bigint {
  return new DataView(struct.buffer, struct.byteOffset + 16, 8).getBigUint64(0, true);
}

/** Collects incoming messages of a session; acks them unless told not to. */
export class Inbox {
  readonly received: IncomingCspMessage[] = [];

  constructor(private readonly autoAck = true) {}

  readonly handler = (message: IncomingCspMessage): void => {
    this.received.push(message);
    if (this.autoAck) message.ack();
  };

  ids(): bigint[] {
    return this.received.map((m) => m.messageId);
  }
}
