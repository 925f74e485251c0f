import { type IdentityRecord, IdentityStateCode } from '@ots/directory-db';

import type { ChallengeBinding, ChallengeService } from './challenge/challenge.service';
import { DirectoryError, DirectoryErrorCode } from './directory-error';
import type { IdentityLookup } from './get-identities/get-identities.usecase';
import { isIdentityId } from './identity-id';
import type { ChallengeAnswer, ChallengeIssued } from './signed-request';

/**
 * The two phases of a call signed by an existing identity (spec §4.2): phase 1 issues a challenge bound to the
 * endpoint and its data, phase 2 proves the caller holds the identity's secret key. Unknown and revoked
 * identities are not found in either phase.
 */
export class SignedCallVerifier {
  constructor(
    private readonly challenges: ChallengeService,
    private readonly identities: IdentityLookup,
  ) {}

  async challenge(identity: string, binding: ChallengeBinding): Promise<ChallengeIssued> {
    await this.activeIdentity(identity);
    return { kind: 'challenge', ...this.challenges.issue(binding) };
  }

  /** Returns the signer's record once the response verifies; throws InvalidToken otherwise. */
  async verify(
    identity: string,
    binding: ChallengeBinding,
    answer: ChallengeAnswer,
  ): Promise<IdentityRecord> {
    // take the token first: it is spent even if the identity was revoked in between
    const challenge = this.challenges.consume(binding, answer.token);
    const record = await this.activeIdentity(identity);
    if (!challenge.verifyResponse(record.publicKey, answer.response)) {
      throw new DirectoryError(DirectoryErrorCode.InvalidToken, 'response does not match');
    }
    return record;
  }

  async activeIdentity(identity: string): Promise<IdentityRecord> {
    if (!isIdentityId(identity)) {
      throw new DirectoryError(DirectoryErrorCode.InvalidIdentity, 'identity must be 8 characters [0-9A-Z*]');
    }
    const record = (await this.identities.findByIds([identity])).at(0);
    if (record === undefined || record.state === IdentityStateCode.Revoked) {
      throw new DirectoryError(DirectoryErrorCode.IdentityNotFound, 'identity not found');
    }
    return record;
  }
}
