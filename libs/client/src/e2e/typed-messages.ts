import { type DeliveryReceipt, encodeDeliveryReceiptBody } from './delivery-receipt-body';
import { E2eMessageType } from './e2e-message-type';
import { encryptMessage, type OutgoingMessage } from './outgoing-message';
import { encodeTextBody } from './text-body';

/** Message fields without the E2E type and body, which the helpers below fill in. */
export type OutgoingEnvelope = Omit<OutgoingMessage, 'type' | 'body'>;

/** A text message (type 0x01) as a complete outgoing struct. */
export function encryptTextMessage(envelope: OutgoingEnvelope, text: string): Uint8Array {
  return encryptMessage({ ...envelope, type: E2eMessageType.TEXT, body: encodeTextBody(text) });
}

/** A delivery receipt (type 0x80) as a complete outgoing struct. Receipts carry no push flag (spec §2.3). */
export function encryptDeliveryReceipt(envelope: OutgoingEnvelope, receipt: DeliveryReceipt): Uint8Array {
  return encryptMessage({
    ...envelope,
    type: E2eMessageType.DELIVERY_RECEIPT,
    body: encodeDeliveryReceiptBody(receipt),
  });
}
