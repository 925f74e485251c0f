/** spec §3 E2E type bytes the SDK builds and understands (SPEC common.proto CspE2eMessageType). */
export const E2eMessageType = {
  TEXT: 0x01,
  DELIVERY_RECEIPT: 0x80,
} as const;

/** spec §3 delivery-receipt status byte. */
export const DeliveryReceiptStatus = {
  RECEIVED: 0x01,
  READ: 0x02,
  /** deprecated */
  USER_ACKNOWLEDGE: 0x03,
  /** deprecated */
  USER_DECLINE: 0x04,
} as const;
