// spec §1.6: container types of the chat server protocol.
export const PayloadType = {
  echoRequest: 0x00,
  outgoingMessage: 0x01,
  incomingMessage: 0x02,
  unblockIncomingMessages: 0x03,
  setPushNotificationToken: 0x20,
  setVoipPushNotificationToken: 0x24,
  deletePushNotificationToken: 0x25,
  setConnectionIdleTimeout: 0x30,
  echoResponse: 0x80,
  outgoingMessageAck: 0x81,
  incomingMessageAck: 0x82,
  queueSendComplete: 0xd0,
  deviceCookieChangeIndication: 0xd2,
  clearDeviceCookieChangeIndication: 0xd3,
  closeError: 0xe0,
  alert: 0xe1,
} as const;

/** Types the clients may still send but that mean nothing any more (spec §1.6): accepted and ignored. */
export const OBSOLETE_PAYLOAD_TYPES: ReadonlySet<number> = new Set([0x21, 0x22, 0x23, 0x31]);
