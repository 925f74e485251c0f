/** Why an end-to-end message could not be built or opened. Messages never carry keys, plaintext or IDs. */
export enum E2eErrorCode {
  /** The message box or metadata box does not authenticate (wrong keys, tampered, or not for us). */
  DECRYPTION_FAILED = 'DECRYPTION_FAILED',
  /** The struct, container, padding, metadata protobuf or a body does not have the layout of spec §2–§3. */
  MALFORMED = 'MALFORMED',
  /** The metadata's message ID differs from the struct's (spec §2.4: receivers must reject it). */
  METADATA_MISMATCH = 'METADATA_MISMATCH',
  /** The struct is addressed to another identity. */
  WRONG_RECEIVER = 'WRONG_RECEIVER',
  /** An input to the encoder is out of range (identity, message ID, flags, body size). */
  INVALID_INPUT = 'INVALID_INPUT',
}

export class E2eError extends Error {
  constructor(
    readonly code: E2eErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'E2eError';
  }
}
