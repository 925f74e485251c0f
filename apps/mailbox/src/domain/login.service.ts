import { constantTimeEqual } from '@ots/crypto';
import { DEVICE_COOKIE_LENGTH, type LoginData, type LoginExtensions } from '@ots/protocol';
import { SlidingWindowLimiter } from '@ots/rate-limit';

import type { ServerHandshake } from '../csp/server-handshake';
import { LoginFailure, LoginRefusedError } from './mailbox-error';
import { type DeviceCookies, type DeviceCookieState, type IdentityDirectory, ReceiverState } from './ports';

export interface LoginPolicy {
  readonly allowLegacyVouch: boolean;
  readonly failuresPerSourcePerMinute: number;
  readonly failuresPerIdentityPerMinute: number;
}

/** A login whose identity is known and not revoked and whose vouch proved the key (spec §1.3). */
export interface VerifiedLogin {
  readonly identity: string;
  readonly supportedFeatures: number;
  readonly deviceId: bigint | undefined;
}

/** What login-ack and the session's start need from the database. */
export interface LoginState {
  /** spec §1.4: send 0xd2 after login while a device-cookie change is unacknowledged */
  readonly deviceCookieChangePending: boolean;
  /** queued (unexpired) messages when the state was read, for login-ack */
  readonly queuedMessages: number;
}

const ZERO_COOKIE = new Uint8Array(DEVICE_COOKIE_LENGTH);

/**
 * spec §1.3 login: the identity must exist and not be revoked, and the vouch must prove the holder of its key
 * (v2 only unless the compatibility switch allows the legacy vouch). Failed attempts are counted per source and
 * per identity, in memory (architecture: rate-limit login attempts; no IP address is stored).
 */
export class LoginService {
  private readonly failuresBySource: SlidingWindowLimiter;
  private readonly failuresByIdentity: SlidingWindowLimiter;

  constructor(
    private readonly directory: IdentityDirectory,
    private readonly cookies: DeviceCookies,
    private readonly policy: LoginPolicy,
  ) {
    this.failuresBySource = new SlidingWindowLimiter({
      limit: policy.failuresPerSourcePerMinute,
      windowMs: 60_000,
    });
    this.failuresByIdentity = new SlidingWindowLimiter({
      limit: policy.failuresPerIdentityPerMinute,
      windowMs: 60_000,
    });
  }

  /** Directory look-up and vouch; nothing is read from or written to the database. */
  async verify(
    handshake: ServerHandshake,
    loginData: LoginData,
    extensions: LoginExtensions | undefined,
    source: string,
  ): Promise<VerifiedLogin> {
    const identity = loginData.identity;
    if (this.isBlocked(source, identity)) {
      throw new LoginRefusedError(LoginFailure.RateLimited, 'Too many failed logins, try again later');
    }
    const info = await this.directory.lookup(identity);
    if (info.state === ReceiverState.Unknown) this.refuse(source, identity, LoginFailure.UnknownIdentity);
    if (info.state === ReceiverState.Revoked) this.refuse(source, identity, LoginFailure.Revoked);
    const vouchValid =
      loginData.vouch.kind === 'v2'
        ? handshake.verifyVouch(
            loginData,
            info.publicKey,
            this.directory.permanentSharedSecret(identity, info.publicKey),
          )
        : this.policy.allowLegacyVouch && handshake.verifyLegacyVouch(loginData, info.publicKey);
    if (!vouchValid) this.refuse(source, identity, LoginFailure.BadVouch);
    return {
      identity,
      supportedFeatures: extensions?.supportedFeatures ?? 0,
      deviceId: extensions?.cspDeviceId,
    };
  }

  /** One round trip for the stored device cookie and the queue count, then the device-cookie rule. */
  async loginState(identity: string, extensions: LoginExtensions | undefined): Promise<LoginState> {
    const { cookie: stored, queuedMessages } = await this.cookies.findForLogin(identity);
    const deviceCookieChangePending = await this.checkDeviceCookie(
      identity,
      stored,
      extensions?.deviceCookie,
    );
    return { deviceCookieChangePending, queuedMessages };
  }

  /** spec §1.4 device cookie: remember the last one; a different one sets the change flag until 0xd3. */
  private async checkDeviceCookie(
    identity: string,
    stored: DeviceCookieState | null,
    presented: Uint8Array | undefined,
  ): Promise<boolean> {
    if (!stored) {
      if (presented) await this.cookies.save(identity, { cookie: presented, changePending: false });
      return false;
    }
    const cookie = presented ?? ZERO_COOKIE;
    if (constantTimeEqual(cookie, stored.cookie)) return stored.changePending;
    await this.cookies.save(identity, { cookie, changePending: true });
    return true;
  }

  private isBlocked(source: string, identity: string): boolean {
    return this.failuresBySource.peek(source) || this.failuresByIdentity.peek(identity);
  }

  private refuse(source: string, identity: string, failure: LoginFailure): never {
    this.failuresBySource.consume(source);
    this.failuresByIdentity.consume(identity);
    throw new LoginRefusedError(
      failure,
      failure === LoginFailure.Revoked ? 'Identity revoked' : 'Login refused',
    );
  }
}
