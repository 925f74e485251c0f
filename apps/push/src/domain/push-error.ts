export enum PushErrorCode {
  InvalidIdentity = 'invalid-identity',
  InvalidSlot = 'invalid-slot',
  /** The token type is unknown or the token bytes do not have the layout of spec §7.1. */
  InvalidToken = 'invalid-token',
}

/** Domain errors carry a code; each transport maps codes to its own shape (gRPC status, WebSocket close code). */
export class PushError extends Error {
  constructor(
    readonly code: PushErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PushError';
  }
}
