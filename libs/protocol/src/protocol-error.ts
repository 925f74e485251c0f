/** Why a codec refused its input; transports map these codes to their own errors (e.g. a CSP close-error). */
export enum ProtocolErrorCode {
  /** The input ends before the layout's fixed fields or a declared length. */
  TRUNCATED = 'TRUNCATED',
  /** The input exceeds a protocol size limit. */
  TOO_LARGE = 'TOO_LARGE',
  /** A field holds a value the spec forbids (bad identity, non-zero reserved bytes, out-of-range number). */
  INVALID_FIELD = 'INVALID_FIELD',
  /** End-to-end padding is missing or its length byte is impossible. */
  INVALID_PADDING = 'INVALID_PADDING',
  /** A text format could not be split or decoded (OPPF layout, base64, JSON, UTF-8). */
  MALFORMED = 'MALFORMED',
  /** A signed document names a signature key the caller does not trust. */
  UNTRUSTED_SIGNATURE_KEY = 'UNTRUSTED_SIGNATURE_KEY',
  /** A signature does not verify. */
  INVALID_SIGNATURE = 'INVALID_SIGNATURE',
}

export class ProtocolError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
