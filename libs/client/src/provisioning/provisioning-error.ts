/** Why the provisioning file (OPPF, spec §9.4) or its pinned key could not be used. */
export enum ProvisioningErrorCode {
  /** The file or the pinned key file cannot be read. */
  UNREADABLE = 'UNREADABLE',
  /** The pinned key file does not hold base64 of a 32-byte Ed25519 public key. */
  INVALID_TRUSTED_KEY = 'INVALID_TRUSTED_KEY',
  /** The OPPF is signed by a key we do not trust, or its signature does not verify. */
  UNTRUSTED = 'UNTRUSTED',
  /** The OPPF layout or fields are invalid. */
  INVALID = 'INVALID',
  /** The licence expiry date of the OPPF has passed (clients must reject it). */
  EXPIRED = 'EXPIRED',
}

export class ProvisioningError extends Error {
  constructor(
    readonly code: ProvisioningErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProvisioningError';
  }
}
