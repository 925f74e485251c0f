import { IdentityStateCode } from '@ots/directory-db';

import type { ChallengeBinding, ChallengeService } from '../challenge/challenge.service';
import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import type { IdentityLookup } from '../get-identities/get-identities.usecase';
import { isIdentityId } from '../identity-id';
import type { ChallengeAnswer, ChallengeIssued } from '../signed-request';

export interface FeatureMaskWriter {
  /** False when the identity does not exist (any more). */
  setFeatureMask(id: string, featureMask: bigint): Promise<boolean>;
}

export interface SetFeatureMaskCommand {
  readonly identity: string;
  readonly featureMask: bigint;
  /** Absent in phase 1. */
  readonly answer?: ChallengeAnswer;
}

export interface FeatureMaskSet {
  readonly kind: 'done';
}

/** spec §4.3 identity/set_featuremask (signed): the identity proves it holds its key, then its mask is stored. */
export class SetFeatureMaskUseCase {
  constructor(
    private readonly challenges: ChallengeService,
    private readonly identities: IdentityLookup,
    private readonly writer: FeatureMaskWriter,
  ) {}

  async execute(command: SetFeatureMaskCommand): Promise<ChallengeIssued | FeatureMaskSet> {
    if (!isIdentityId(command.identity)) {
      throw new DirectoryError(DirectoryErrorCode.InvalidIdentity, 'identity must be 8 characters [0-9A-Z*]');
    }
    const binding: ChallengeBinding = {
      purpose: 'identity/set_featuremask',
      data: { identity: command.identity, featureMask: command.featureMask.toString() },
    };
    if (command.answer === undefined) {
      await this.activePublicKey(command.identity);
      return { kind: 'challenge', ...this.challenges.issue(binding) };
    }
    // take the token first: it is spent even if the identity was revoked in between
    const challenge = this.challenges.consume(binding, command.answer.token);
    const publicKey = await this.activePublicKey(command.identity);
    if (!challenge.verifyResponse(publicKey, command.answer.response)) {
      throw new DirectoryError(DirectoryErrorCode.InvalidToken, 'response does not match');
    }
    if (!(await this.writer.setFeatureMask(command.identity, command.featureMask))) {
      throw new DirectoryError(DirectoryErrorCode.IdentityNotFound, 'identity not found');
    }
    return { kind: 'done' };
  }

  private async activePublicKey(id: string): Promise<Uint8Array> {
    const record = (await this.identities.findByIds([id])).at(0);
    if (record === undefined || record.state === IdentityStateCode.Revoked) {
      throw new DirectoryError(DirectoryErrorCode.IdentityNotFound, 'identity not found');
    }
    return record.publicKey;
  }
}
