/** Why a login was refused (also the `outcome` label of ots_mailbox_logins_total). */
export enum LoginFailure {
  Malformed = 'malformed',
  BadVouch = 'bad_vouch',
  UnknownIdentity = 'unknown_identity',
  Revoked = 'revoked',
  Timeout = 'timeout',
  RateLimited = 'rate_limited',
  Unavailable = 'unavailable',
}

export class LoginRefusedError extends Error {
  constructor(
    readonly failure: LoginFailure,
    message: string,
  ) {
    super(message);
    this.name = 'LoginRefusedError';
  }
}

/** Why an outgoing message was not queued (the `reason` label of ots_mailbox_messages_rejected_total). */
export enum MessageRejection {
  SenderMismatch = 'sender_mismatch',
  UnknownReceiver = 'unknown_receiver',
  RevokedReceiver = 'revoked_receiver',
  QueueFull = 'queue_full',
  Malformed = 'malformed',
}
