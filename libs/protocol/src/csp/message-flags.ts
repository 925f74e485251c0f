/** spec §2.3 message flags (u8 bit mask); they drive queuing, push and ack semantics on the server. */
export const MessageFlag = {
  /** 0x01: push the receiver (user-visible messages, not receipts). */
  SEND_PUSH_NOTIFICATION: 0x01,
  /** 0x02: drop unless the receiver is connected (typing indicators). */
  NO_SERVER_QUEUING: 0x02,
  /** 0x04: the server does not ack the sender and the receiver must not ack either. */
  NO_SERVER_ACK: 0x04,
  /** 0x10: reserved in the spec but still set by Android/iOS on group messages. */
  GROUP_MESSAGE: 0x10,
  /** 0x20: keep at most 60 s and override created-at (call signalling). */
  SHORT_LIVED_SERVER_QUEUING: 0x20,
  /** 0x80: the receiver sends no automatic delivery receipts (Gateway use). */
  NO_DELIVERY_RECEIPTS: 0x80,
} as const;

export type MessageFlagName = keyof typeof MessageFlag;

export function hasMessageFlag(flags: number, flag: (typeof MessageFlag)[MessageFlagName]): boolean {
  return (flags & flag) !== 0;
}
