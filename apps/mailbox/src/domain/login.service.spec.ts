import type { LoginData } from '@ots/protocol';

import type { ServerHandshake } from '../csp/server-handshake';
import { LoginService } from './login.service';
import { LoginFailure, LoginRefusedError } from './mailbox-error';
import { type DeviceCookies, type DeviceCookieState, type IdentityDirectory, ReceiverState } from './ports';

const KEY = new Uint8Array(32).fill(7);

function setup(options: { legacy?: boolean; state?: ReceiverState; vouchValid?: boolean } = {}) {
  const cookies = new Map<string, DeviceCookieState>();
  const directory: IdentityDirectory = {
    lookup: () => Promise.resolve({ state: options.state ?? ReceiverState.Active, publicKey: KEY }),
    permanentSharedSecret: () => new Uint8Array(32),
    forget: () => undefined,
  };
  const cookieStore: DeviceCookies = {
    findForLogin: (identity) => Promise.resolve({ cookie: cookies.get(identity) ?? null, queuedMessages: 3 }),
    save: (identity, state) => {
      cookies.set(identity, state);
      return Promise.resolve();
    },
    clearChangePending: (identity) => {
      const current = cookies.get(identity);
      if (current) cookies.set(identity, { ...current, changePending: false });
      return Promise.resolve();
    },
  };
  const service = new LoginService(directory, cookieStore, {
    allowLegacyVouch: options.legacy ?? false,
    failuresPerSourcePerMinute: 3,
    failuresPerIdentityPerMinute: 100,
  });
  const handshake = {
    verifyVouch: () => options.vouchValid ?? true,
    verifyLegacyVouch: () => options.vouchValid ?? true,
  } as unknown as ServerHandshake;
  return { service, handshake, cookies };
}

const v2: LoginData = {
  identity: 'ECHOECHO',
  extensionIndicator: { kind: 'extensions', extensionsBoxLength: 20 },
  serverCookieEcho: new Uint8Array(16),
  vouch: { kind: 'v2', vouch: new Uint8Array(32) },
};
const legacy: LoginData = {
  ...v2,
  vouch: { kind: 'legacy', nonce: new Uint8Array(24), box: new Uint8Array(48) },
};

async function failure(promise: Promise<unknown>): Promise<LoginFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LoginRefusedError) return error.failure;
    throw error;
  }
  throw new Error('login was accepted');
}

describe('LoginService', () => {
  it('logs in with a valid v2 vouch and reports features, device ID and the queued count', async () => {
    const { service, handshake } = setup();
    const extensions = { supportedFeatures: 3, cspDeviceId: 9n, unknownTypes: [] };
    const login = await service.verify(handshake, v2, extensions, 's');
    expect(login).toEqual({ identity: 'ECHOECHO', supportedFeatures: 3, deviceId: 9n });
    expect(await service.loginState(login.identity, extensions)).toEqual({
      deviceCookieChangePending: false,
      queuedMessages: 3,
    });
  });

  it('refuses the legacy vouch unless the compatibility switch is on', async () => {
    expect(await failure(setup().service.verify(setup().handshake, legacy, undefined, 's'))).toBe(
      LoginFailure.BadVouch,
    );
    const on = setup({ legacy: true });
    await expect(on.service.verify(on.handshake, legacy, undefined, 's')).resolves.toMatchObject({
      identity: 'ECHOECHO',
    });
  });

  it('refuses unknown and revoked identities and wrong vouches, then rate-limits the source', async () => {
    const unknown = setup({ state: ReceiverState.Unknown });
    expect(await failure(unknown.service.verify(unknown.handshake, v2, undefined, 's'))).toBe(
      LoginFailure.UnknownIdentity,
    );
    const revoked = setup({ state: ReceiverState.Revoked });
    expect(await failure(revoked.service.verify(revoked.handshake, v2, undefined, 's'))).toBe(
      LoginFailure.Revoked,
    );
    const wrong = setup({ vouchValid: false });
    for (let i = 0; i < 3; i += 1) {
      expect(await failure(wrong.service.verify(wrong.handshake, v2, undefined, 'attacker'))).toBe(
        LoginFailure.BadVouch,
      );
    }
    expect(await failure(wrong.service.verify(wrong.handshake, v2, undefined, 'attacker'))).toBe(
      LoginFailure.RateLimited,
    );
    // another source is not affected
    expect(await failure(wrong.service.verify(wrong.handshake, v2, undefined, 'other'))).toBe(
      LoginFailure.BadVouch,
    );
  });

  it('flags a changed device cookie until it is cleared (spec §1.4), and treats a missing one as zeros', async () => {
    const { service, cookies } = setup();
    const first = new Uint8Array(16).fill(1);
    const ext = (deviceCookie?: Uint8Array) => ({
      supportedFeatures: 3,
      unknownTypes: [],
      ...(deviceCookie ? { deviceCookie } : {}),
    });
    expect((await service.loginState('ECHOECHO', ext(first))).deviceCookieChangePending).toBe(false);
    expect((await service.loginState('ECHOECHO', ext(first))).deviceCookieChangePending).toBe(false);
    expect(
      (await service.loginState('ECHOECHO', ext(new Uint8Array(16).fill(2)))).deviceCookieChangePending,
    ).toBe(true);
    expect(
      (await service.loginState('ECHOECHO', ext(new Uint8Array(16).fill(2)))).deviceCookieChangePending,
    ).toBe(true);
    cookies.set('ECHOECHO', { cookie: new Uint8Array(16).fill(2), changePending: false });
    expect((await service.loginState('ECHOECHO', ext())).deviceCookieChangePending).toBe(true);
    expect(Buffer.from(cookies.get('ECHOECHO')!.cookie).equals(Buffer.alloc(16))).toBe(true);
  });
});
