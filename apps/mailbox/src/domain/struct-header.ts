import type { MessageEnvelope } from '@ots/protocol';

// spec §2.1/§2.2: both struct versions share bytes 0..31. The hot path reads and patches these fixed offsets
// directly instead of decoding and re-encoding every message (the full decode validates on the way in).

export interface StructHeader {
  readonly sender: string;
  readonly receiver: string;
  readonly messageId: bigint;
  readonly createdAt: number;
  readonly flags: number;
}

/** The header of a decoded (or validated) struct. */
export function headerOf(envelope: MessageEnvelope): StructHeader {
  return {
    sender: envelope.senderIdentity,
    receiver: envelope.receiverIdentity,
    messageId: envelope.messageId,
    createdAt: envelope.createdAt,
    flags: envelope.flags,
  };
}

export function readStructHeader(struct: Uint8Array): StructHeader {
  const view = new DataView(struct.buffer, struct.byteOffset, 32);
  return {
    sender: Buffer.from(struct.buffer, struct.byteOffset, 8).toString('latin1'),
    receiver: Buffer.from(struct.buffer, struct.byteOffset + 8, 8).toString('latin1'),
    messageId: view.getBigUint64(16, true),
    createdAt: view.getUint32(24, true),
    flags: struct[28],
  };
}

/** A copy of the struct with created-at replaced (spec §1.7: the server's time when the client's is ahead). */
export function withCreatedAt(struct: Uint8Array, unixSeconds: number): Uint8Array {
  const copy = new Uint8Array(struct);
  new DataView(copy.buffer, copy.byteOffset, 32).setUint32(24, unixSeconds, true);
  return copy;
}
