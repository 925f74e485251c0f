import type { NewIdentity } from '@ots/directory-db';

import type { ChallengeBinding, ChallengeService } from '../challenge/challenge.service';
import { DirectoryError, DirectoryErrorCode } from '../directory-error';
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
      const id = this.generateId();
      const stored = await this.identities.insertIfAbsent({
        id,
        publicKey: command.publicKey,
        serverGroup: this.options.serverGroup,
      });
      if (stored) return { kind: 'created', identity: id, serverGroup: this.options.serverGroup };
    }
    throw new DirectoryError(DirectoryErrorCode.IdentityAllocationFailed, 'no free identity found');
  }
}
