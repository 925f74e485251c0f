import type { SignedCallVerifier } from '../signed-call';
import type { ChallengeAnswer, ChallengeIssued } from '../signed-request';

export interface PrivateIdentityData {
  readonly kind: 'private';
  readonly identity: string;
  readonly serverGroup: string;
}

/**
 * spec §4.3 identity/fetch_priv (signed). `email` and `mobileNo` are left out: only their hashes are stored
 * (spec §4.4), so there is no clear address or number to give back.
 */
export class FetchPrivateUseCase {
  constructor(private readonly signed: SignedCallVerifier) {}

  async execute(command: {
    readonly identity: string;
    readonly answer?: ChallengeAnswer;
  }): Promise<ChallengeIssued | PrivateIdentityData> {
    const binding = { purpose: 'identity/fetch_priv', data: { identity: command.identity } };
    if (command.answer === undefined) return this.signed.challenge(command.identity, binding);
    const record = await this.signed.verify(command.identity, binding, command.answer);
    return { kind: 'private', identity: record.id, serverGroup: record.serverGroup };
  }
}
