export enum DirectoryErrorCode {
  InvalidIdentity = 'invalid-identity',
  TooManyIdentities = 'too-many-identities',
}

/** Domain errors carry a code; each transport maps codes to its own shape (HTTP status, gRPC status). */
export class DirectoryError extends Error {
  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}
