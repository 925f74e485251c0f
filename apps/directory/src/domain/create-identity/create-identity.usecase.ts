import { IdentityStateCode, IdentityTypeCode, type NewIdentity } from '@ots/directory-db';

import type { ChallengeBinding, ChallengeService } from '../challenge/challenge.service';
import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import type { DirectoryEvents } from '../directory-events';
import { randomIdentityId } from '../identity-id';
import type { ChallengeAnswer, ChallengeIssued } from '../signed-request';

export const PUBLIC_KEY_LENGTH = 32;
const MAX_ALLOCATION_ATTEMPTS = 10;

export interface IdentityCreator {
  /** Stores the identity unless its ID is taken; false means the ID was taken. */
  insertIfAbsent(identity: NewIdentity): Promise<boolean>;
}

export interface CreateIdentityCommand {
  readonly publicKey: Uint8Array;
  /** Absent in phase 1. */
  readonly answer?: ChallengeAnswer;
}

export interface IdentityCreated {
  readonly kind: 'created';
  readonly identity: string;
  readonly serverGroup: string;
}

export interface CreateIdentityOptions {
  readonly serverGroup: string;
  readonly generateId?: () => string;
}

/**
 * spec §4.3 identity/create: phase 1 issues a challenge bound to the public key; phase 2 proves the client
 * holds its secret key and assigns a fresh random ID. Licence fields clients add are not checked (no licences).
 */
export class CreateIdentityUseCase {
  private readonly generateId: () => string;

  constructor(
    private readonly challenges: ChallengeService,
    private readonly identities: IdentityCreator,
    private readonly events: DirectoryEvents,
    private readonly options: CreateIdentityOptions,
  ) {
    this.generateId = options.generateId ?? (() => randomIdentityId());
  }

  async execute(command: CreateIdentityCommand): Promise<ChallengeIssued | IdentityCreated> {
    if (command.publicKey.length !== PUBLIC_KEY_LENGTH) {
      throw new DirectoryError(DirectoryErrorCode.InvalidPublicKey, 'publicKey must be 32 bytes');
    }
    const binding: ChallengeBinding = {
      purpose: 'identity/create',
      data: { publicKey: Buffer.from(command.publicKey).toString('base64') },
    };
    if (command.answer === undefined) {
      return { kind: 'challenge', ...this.challenges.issue(binding) };
    }
    const challenge = this.challenges.consume(binding, command.answer.token);
    if (!challenge.verifyResponse(command.publicKey, command.answer.response)) {
      throw new DirectoryError(DirectoryErrorCode.InvalidToken, 'response does not match');
    }
    for (let attempt = 0; attempt < MAX_ALLOCATION_ATTEMPTS; attempt += 1) {
      const identity = {
        id: this.generateId(),
        publicKey: command.publicKey,
        serverGroup: this.options.serverGroup,
        type: IdentityTypeCode.Regular,
        featureMask: 0n,
      };
      if (await this.identities.insertIfAbsent(identity)) {
        // after the commit: the mailbox adds the identity to its replica
        this.events.identityCreated({ ...identity, state: IdentityStateCode.Active });
        return { kind: 'created', identity: identity.id, serverGroup: this.options.serverGroup };
      }
    }
    throw new DirectoryError(DirectoryErrorCode.IdentityAllocationFailed, 'no free identity found');
  }
}
