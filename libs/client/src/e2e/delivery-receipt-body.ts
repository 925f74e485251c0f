import { E2eError, E2eErrorCode } from './e2e-error';

const MESSAGE_ID_LENGTH = 8;
const MAX_U64 = (1n << 64n) - 1n;

export interface DeliveryReceipt {
  /** spec §3 status byte, see DeliveryReceiptStatus. */
  readonly status: number;
  readonly messageIds: readonly bigint[];
}

/** spec §3 delivery-receipt (type 0x80): `status` u8 ‖ n × message-id u64-le, n ≥ 1. */
export function encodeDeliveryReceiptBody(receipt: DeliveryReceipt): Uint8Array {
  if (!Number.isInteger(receipt.status) || receipt.status < 0 || receipt.status > 0xff) {
    throw new E2eError(E2eErrorCode.INVALID_INPUT, 'delivery receipt status must be a byte');
  }
  if (receipt.messageIds.length === 0) {
    throw new E2eError(E2eErrorCode.INVALID_INPUT, 'delivery receipt must name at least one message');
  }
  const out = Buffer.alloc(1 + MESSAGE_ID_LENGTH * receipt.messageIds.length);
  out.writeUInt8(receipt.status, 0);
  receipt.messageIds.forEach((messageId, index) => {
    if (messageId < 0n || messageId > MAX_U64) {
      throw new E2eError(E2eErrorCode.INVALID_INPUT, 'delivery receipt message ID is not a u64');
    }
    out.writeBigUInt64LE(messageId, 1 + MESSAGE_ID_LENGTH * index);
  });
  return new Uint8Array(out);
}

export function decodeDeliveryReceiptBody(body: Uint8Array): DeliveryReceipt {
  const count = (body.length - 1) / MESSAGE_ID_LENGTH;
  if (body.length < 1 + MESSAGE_ID_LENGTH || !Number.isInteger(count)) {
    throw new E2eError(
      E2eErrorCode.MALFORMED,
      `delivery receipt of ${body.length} bytes is not a status byte and whole message IDs`,
    );
  }
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const messageIds: bigint[] = [];
  for (let index = 0; index < count; index++) {
    messageIds.push(bytes.readBigUInt64LE(1 + MESSAGE_ID_LENGTH * index));
  }
  return { status: bytes[0], messageIds };
}
