import { DirectoryError, DirectoryErrorCode } from '../directory-error';
import { isIdentityId } from '../identity-id';

export const MAX_LOGINS_PER_REQUEST = 1000;
/** Login times further ahead of this server's clock than this are refused (mailbox clocks may drift a little). */
export const MAX_LOGIN_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

export interface LoginRecord {
  readonly identity: string;
  readonly loginTimeMs: bigint;
}

export interface LoginRecorder {
  /** Moves each identity's last login forward to the given time (never back); returns how many moved. */
  recordLastLogins(latest: ReadonlyMap<string, Date>): Promise<number>;
}

/**
 * directory.v1 RecordLogins: the mailbox reports logins in batches; only the latest time per identity is kept
 * (the `lastLogin` of the *MY3DATA export). Unknown and revoked identities are ignored.
 */
export class RecordLoginsUseCase {
  constructor(
    private readonly recorder: LoginRecorder,
    private readonly now: () => number = Date.now,
  ) {}

  async execute(logins: readonly LoginRecord[]): Promise<number> {
    if (logins.length > MAX_LOGINS_PER_REQUEST) {
      throw invalid(`at most ${String(MAX_LOGINS_PER_REQUEST)} logins per request`);
    }
    const latestAllowed = BigInt(this.now() + MAX_LOGIN_CLOCK_SKEW_MS);
    const latest = new Map<string, Date>();
    for (const login of logins) {
      if (!isIdentityId(login.identity)) {
        throw new DirectoryError(
          DirectoryErrorCode.InvalidIdentity,
          'identities must be 8 characters [0-9A-Z*]',
        );
      }
      if (login.loginTimeMs <= 0n)
        throw invalid('login_time_ms must be a positive Unix time in milliseconds');
      if (login.loginTimeMs > latestAllowed) throw invalid('login_time_ms lies in the future');
      const at = new Date(Number(login.loginTimeMs));
      const previous = latest.get(login.identity);
      if (previous === undefined || previous < at) latest.set(login.identity, at);
    }
    if (latest.size === 0) return 0;
    return this.recorder.recordLastLogins(latest);
  }
}

function invalid(message: string): DirectoryError {
  return new DirectoryError(DirectoryErrorCode.InvalidRequest, message);
}
