import { hashPhoneNumber } from '@ots/crypto';

import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import { HashKind } from '../linked-hash';
import type { ChallengeAnswer } from '../signed-request';
import type { AlreadyLinked, LinkChallenge, LinkFlow } from './link-flow';
import type { LinkStore, SmsGateway } from './link-ports';
import { invalidVerification, type LinkVerification, verificationUnavailable } from './link-verification';
import { newSmsCode, newVerificationId, verificationSecretHash } from './verification-secret';

// spec §4.3: E.164 without "+": digits only, at most 15
const MOBILE_NO_PATTERN = /^[1-9][0-9]{5,14}$/;
const MAX_CALLBACKS = 10_000;

export interface LinkMobileNoCommand {
  readonly identity: string;
  /** empty = unlink */
  readonly mobileNo: string;
  readonly lang?: string;
  readonly answer?: ChallengeAnswer;
}

export interface CodeSent {
  readonly kind: 'sent';
  readonly verificationId: string;
}

export interface Unlinked {
  readonly kind: 'done';
}

interface CallBack {
  readonly to: string;
  readonly code: string;
  readonly lang: string | undefined;
  readonly expiresAt: number;
}

export interface LinkMobileNoOptions {
  readonly ttlMs: number;
  readonly now?: () => number;
}

/**
 * spec §4.3 identity/link_mobileno, its code verification and identity/link_mobileno_call. The pending row holds
 * only hashes. For the one optional call that reads the code out, the number and code are kept in this process's
 * memory until the call is placed, the link is verified or it expires (docs/adr/0011-link-verification.md).
 */
export class LinkMobileNoUseCase {
  private readonly callbacks = new Map<string, CallBack>();

  constructor(
    private readonly flow: LinkFlow,
    private readonly store: LinkStore,
    private readonly sms: SmsGateway,
    private readonly verification: LinkVerification,
    private readonly options: LinkMobileNoOptions,
  ) {}

  async execute(command: LinkMobileNoCommand): Promise<AlreadyLinked | LinkChallenge | CodeSent | Unlinked> {
    const mobileNo = command.mobileNo;
    if (mobileNo !== '' && !MOBILE_NO_PATTERN.test(mobileNo)) {
      throw new DirectoryError(
        DirectoryErrorCode.InvalidRequest,
        'mobileNo must be an E.164 number without + (digits only) or empty',
      );
    }
    const request = {
      identity: command.identity,
      kind: HashKind.MobileNo,
      hash: mobileNo === '' ? null : hashPhoneNumber(mobileNo),
      binding: { purpose: 'identity/link_mobileno', data: { identity: command.identity, mobileNo } },
    };
    if (request.hash !== null && !this.sms.available) throw verificationUnavailable('verification SMS');
    if (command.answer === undefined) return this.flow.phaseOne(request);
    if ((await this.flow.phaseTwo(request, command.answer)) === 'done' || request.hash === null) {
      return { kind: 'done' };
    }
    const id = newVerificationId();
    const code = newSmsCode();
    const expiresAt = this.now() + this.options.ttlMs;
    await this.store.savePending({
      id,
      identity: command.identity,
      kind: HashKind.MobileNo,
      hash: request.hash,
      secretHash: verificationSecretHash(id, code),
      expiresAt: new Date(expiresAt),
    });
    try {
      await this.sms.sendSms(mobileNo, smsText(code, command.lang));
    } catch {
      await this.store.deletePending(id);
      throw verificationUnavailable('verification SMS');
    }
    this.rememberForCall(id, { to: mobileNo, code, lang: command.lang, expiresAt });
    return { kind: 'sent', verificationId: id };
  }

  /** identity/link_mobileno with `verificationId` and `code`. */
  async verifyCode(verificationId: string, code: string): Promise<void> {
    await this.verification.verify(verificationId, HashKind.MobileNo, code);
    this.callbacks.delete(verificationId);
  }

  /** identity/link_mobileno_call: read the same code out by phone, once, while the link is pending. */
  async call(verificationId: string): Promise<void> {
    const callback = this.callbacks.get(verificationId);
    this.callbacks.delete(verificationId);
    if (callback === undefined || callback.expiresAt <= this.now()) throw invalidVerification();
    await this.verification.livePending(verificationId, HashKind.MobileNo);
    try {
      await this.sms.placeCall(callback.to, callText(callback.code, callback.lang));
    } catch {
      throw verificationUnavailable('verification call');
    }
  }

  private rememberForCall(id: string, callback: CallBack): void {
    const now = this.now();
    for (const [key, entry] of this.callbacks) {
      if (entry.expiresAt > now && this.callbacks.size < MAX_CALLBACKS) break;
      this.callbacks.delete(key);
    }
    this.callbacks.set(id, callback);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

function smsText(code: string, lang: string | undefined): string {
  return lang === 'de' ? `Ihr Bestätigungscode: ${code}` : `Your verification code: ${code}`;
}

function callText(code: string, lang: string | undefined): string {
  const digits = code.split('').join(' ');
  return lang === 'de' ? `Ihr Bestätigungscode lautet ${digits}` : `Your verification code is ${digits}`;
}
