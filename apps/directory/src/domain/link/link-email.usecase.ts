import { hashEmail } from '@ots/crypto';

import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import { HashKind } from '../linked-hash';
import type { ChallengeAnswer } from '../signed-request';
import type { AlreadyLinked, LinkChallenge, LinkFlow } from './link-flow';
import type { LinkStore, VerificationMailer } from './link-ports';
import { type LinkVerification, verificationUnavailable } from './link-verification';
import { newEmailToken, newVerificationId, verificationSecretHash } from './verification-secret';

const MAX_EMAIL_LENGTH = 254;
const EMAIL_PATTERN = /^[\x21-\x3f\x41-\x7e]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export interface LinkEmailCommand {
  readonly identity: string;
  /** empty = unlink */
  readonly email: string;
  readonly lang?: string;
  readonly answer?: ChallengeAnswer;
}

export interface VerificationSent {
  readonly kind: 'done';
}

export interface LinkEmailOptions {
  /** public base URL of the directory, ending with / (config DIRECTORY_PUBLIC_URL) */
  readonly publicUrl: string | undefined;
  readonly ttlMs: number;
  readonly now?: () => number;
}

/**
 * spec §4.3 identity/link_email. Phase 2 stores a pending link holding only the spec §4.4 hash and the hash of a
 * random token, then mails a link carrying the token. The address itself lives only in this call.
 */
export class LinkEmailUseCase {
  constructor(
    private readonly flow: LinkFlow,
    private readonly store: LinkStore,
    private readonly mailer: VerificationMailer,
    private readonly verification: LinkVerification,
    private readonly options: LinkEmailOptions,
  ) {}

  async execute(command: LinkEmailCommand): Promise<AlreadyLinked | LinkChallenge | VerificationSent> {
    const email = command.email.trim().toLowerCase();
    if (email !== '' && (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email))) {
      throw new DirectoryError(DirectoryErrorCode.InvalidRequest, 'email must be an e-mail address or empty');
    }
    const request = {
      identity: command.identity,
      kind: HashKind.Email,
      hash: email === '' ? null : hashEmail(email),
      binding: { purpose: 'identity/link_email', data: { identity: command.identity, email } },
    };
    const publicUrl = this.options.publicUrl;
    if (request.hash !== null && (!this.mailer.available || publicUrl === undefined)) {
      throw verificationUnavailable('verification e-mail');
    }
    if (command.answer === undefined) return this.flow.phaseOne(request);
    if ((await this.flow.phaseTwo(request, command.answer)) === 'done' || request.hash === null) {
      return { kind: 'done' };
    }
    const id = newVerificationId();
    const token = newEmailToken();
    const now = this.options.now?.() ?? Date.now();
    await this.store.savePending({
      id,
      identity: command.identity,
      kind: HashKind.Email,
      hash: request.hash,
      secretHash: verificationSecretHash(id, token),
      expiresAt: new Date(now + this.options.ttlMs),
    });
    const link = `${publicUrl ?? ''}identity/link_email/verify?id=${id}&token=${token}`;
    try {
      await this.mailer.sendEmailVerification(email, link, command.lang);
    } catch {
      await this.store.deletePending(id);
      throw verificationUnavailable('verification e-mail');
    }
    return { kind: 'done' };
  }

  /** The link from the mail: `id` and `token` from its query. */
  async confirm(id: string, token: string): Promise<void> {
    await this.verification.verify(id, HashKind.Email, token);
  }
}
