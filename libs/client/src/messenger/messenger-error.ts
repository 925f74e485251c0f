/** Why a Messenger operation failed. Messages never carry identities, keys or message content. */
export enum MessengerErrorCode {
  /** No reply arrived in time (request / requestDataExport). */
  TIMEOUT = 'TIMEOUT',
  /** The chat server connection closed before the operation finished. */
  CLOSED = 'CLOSED',
  /** The directory's key for a pinned system identity differs from the provisioning file's (spec §3: abort). */
  PINNED_KEY_MISMATCH = 'PINNED_KEY_MISMATCH',
  /** The reply is not what the request expects (e.g. `*MY3DATA` answered with something other than JSON). */
  UNEXPECTED_REPLY = 'UNEXPECTED_REPLY',
  /** An argument is invalid (e.g. not a Threema ID). */
  INVALID_INPUT = 'INVALID_INPUT',
}

export class MessengerError extends Error {
  constructor(
    readonly code: MessengerErrorCode,
    message: string,
    /** For UNEXPECTED_REPLY: the reply text as received. */
    readonly replyText?: string,
  ) {
    super(message);
    this.name = 'MessengerError';
  }
}
