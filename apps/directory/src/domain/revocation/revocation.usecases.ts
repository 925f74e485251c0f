import { constantTimeEqual } from '@ots/crypto';

import type { ChallengeBinding } from '../challenge/challenge.service';
import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import type { DirectoryEvents } from '../directory-events';
import type { SignedCallVerifier } from '../signed-call';
import type { ChallengeAnswer, ChallengeIssued } from '../signed-request';
import { REVOCATION_KEY_LENGTH, revocationKeyHash } from './revocation-key';

export interface RevocationStore {
  /** Stores the key's hash and the time; false if the identity is gone or revoked. */
  setRevocationKey(identity: string, keyHash: Uint8Array, changedAt: Date): Promise<boolean>;
  /** The stored hash and its time, or undefined if none is set (or the identity is unknown or revoked). */
  findRevocationKey(identity: string): Promise<{ keyHash: Uint8Array; changedAt: Date } | undefined>;
  /**
   * Marks the identity revoked (state 2) and drops what only served the living identity: linked hashes,
   * pending links, the revocation key. False if it was unknown or already revoked.
   */
  revoke(identity: string): Promise<boolean>;
}

export interface Done {
  readonly kind: 'done';
}

export interface RevocationKeyStatus {
  readonly kind: 'status';
  /** undefined: no key set */
  readonly lastChanged: Date | undefined;
}

interface SignedCommand {
  readonly identity: string;
  readonly answer?: ChallengeAnswer;
}

/** spec §4.3 identity/set_revocation_key (signed). */
export class SetRevocationKeyUseCase {
  constructor(
    private readonly signed: SignedCallVerifier,
    private readonly store: RevocationStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async execute(
    command: SignedCommand & { readonly revocationKey: Uint8Array },
  ): Promise<ChallengeIssued | Done> {
    if (command.revocationKey.length !== REVOCATION_KEY_LENGTH) {
      throw new DirectoryError(DirectoryErrorCode.InvalidRequest, 'revocationKey must be 4 bytes');
    }
    const binding: ChallengeBinding = {
      purpose: 'identity/set_revocation_key',
      data: {
        identity: command.identity,
        revocationKey: Buffer.from(command.revocationKey).toString('base64'),
      },
    };
    if (command.answer === undefined) return this.signed.challenge(command.identity, binding);
    await this.signed.verify(command.identity, binding, command.answer);
    const stored = await this.store.setRevocationKey(
      command.identity,
      revocationKeyHash(command.identity, command.revocationKey),
      this.now(),
    );
    if (!stored) throw new DirectoryError(DirectoryErrorCode.IdentityNotFound, 'identity not found');
    return { kind: 'done' };
  }
}

/** spec §4.3 identity/check_revocation_key (signed): whether a key is set and when it last changed. */
export class CheckRevocationKeyUseCase {
  constructor(
    private readonly signed: SignedCallVerifier,
    private readonly store: RevocationStore,
  ) {}

  async execute(command: SignedCommand): Promise<ChallengeIssued | RevocationKeyStatus> {
    const binding: ChallengeBinding = {
      purpose: 'identity/check_revocation_key',
      data: { identity: command.identity },
    };
    if (command.answer === undefined) return this.signed.challenge(command.identity, binding);
    await this.signed.verify(command.identity, binding, command.answer);
    const key = await this.store.findRevocationKey(command.identity);
    return { kind: 'status', lastChanged: key?.changedAt };
  }
}

/** spec §4.3 identity/revoke (signed: the holder of the secret key revokes) and identity/ws/revoke (key). */
export class RevokeIdentityUseCase {
  constructor(
    private readonly signed: SignedCallVerifier,
    private readonly store: RevocationStore,
    private readonly events: DirectoryEvents,
  ) {}

  async bySignature(command: SignedCommand): Promise<ChallengeIssued | Done> {
    const binding: ChallengeBinding = { purpose: 'identity/revoke', data: { identity: command.identity } };
    if (command.answer === undefined) return this.signed.challenge(command.identity, binding);
    await this.signed.verify(command.identity, binding, command.answer);
    return this.revoke(command.identity);
  }

  async byRevocationKey(command: {
    readonly identity: string;
    readonly revocationKey: Uint8Array;
  }): Promise<Done> {
    await this.signed.activeIdentity(command.identity);
    const stored = await this.store.findRevocationKey(command.identity);
    const offered = revocationKeyHash(command.identity, command.revocationKey);
    // compare even when no key is set, so both refusals take the same time
    const matches = constantTimeEqual(stored?.keyHash ?? new Uint8Array(offered.length), offered);
    if (stored === undefined || !matches) {
      throw new DirectoryError(DirectoryErrorCode.WrongRevocationKey, 'revocation key does not match');
    }
    return this.revoke(command.identity);
  }

  private async revoke(identity: string): Promise<Done> {
    if (!(await this.store.revoke(identity))) {
      throw new DirectoryError(DirectoryErrorCode.IdentityNotFound, 'identity not found');
    }
    // after the commit: the mailbox closes the identity's connections, contact-sync drops its hashes
    this.events.identityRevoked(identity);
    return { kind: 'done' };
  }
}
