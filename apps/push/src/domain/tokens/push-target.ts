import { decodePushToken, MAX_PUSH_TOKEN_LENGTH, ProtocolError } from '@ots/protocol';

import { PushError, PushErrorCode } from '../push-error';

/**
 * Our own push channel's token type (docs/adr/0010-push-gateway.md). Not one of Threema's §7.1 types: a client
 * that chose our own push sends it over CSP 0x20 like any other token. Layout: push ID (20 bytes, the public
 * name the device authenticates with on the WebSocket) ‖ push secret (32 bytes, the HMAC key of the challenge).
 */
export const OWN_PUSH_TOKEN_TYPE = 0x70;
export const OWN_PUSH_ID_LENGTH = 20;
export const OWN_PUSH_SECRET_LENGTH = 32;

/** Where and how one device is woken: the provider-specific, parsed form of a stored token. */
export type PushTarget =
  | { readonly provider: 'fcm'; readonly registrationToken: string }
  | { readonly provider: 'hms'; readonly appId: string; readonly token: string }
  | {
      readonly provider: 'apns';
      readonly production: boolean;
      /** raw device token; sent hex-encoded in the request path */
      readonly deviceToken: Uint8Array;
      readonly bundleId: string;
      /** spec §7.2: key of the encrypted `threema` dictionary; absent for the legacy types 0x01–0x04 */
      readonly payloadKey: Uint8Array | undefined;
    }
  | { readonly provider: 'ownpush'; readonly pushId: Uint8Array; readonly secret: Uint8Array };

export type ProviderName = PushTarget['provider'];

export const PROVIDER_NAMES: readonly ProviderName[] = ['fcm', 'apns', 'hms', 'ownpush'];

/**
 * Parses a token as stored (type byte + bytes, spec §7.1). `undefined` means "no push" (type 0x00). Throws
 * PushError(InvalidToken) for anything malformed, so nothing unparsable is ever stored.
 */
export function parsePushTarget(tokenType: number, token: Uint8Array): PushTarget | undefined {
  if (!Number.isInteger(tokenType) || tokenType < 0 || tokenType > 0xff) {
    throw new PushError(PushErrorCode.InvalidToken, 'token type must be one byte');
  }
  if (token.length > MAX_PUSH_TOKEN_LENGTH) {
    throw new PushError(PushErrorCode.InvalidToken, 'token longer than 255 bytes');
  }
  if (tokenType === OWN_PUSH_TOKEN_TYPE) {
    if (token.length !== OWN_PUSH_ID_LENGTH + OWN_PUSH_SECRET_LENGTH) {
      throw new PushError(
        PushErrorCode.InvalidToken,
        'own push token must be a 20-byte ID and a 32-byte secret',
      );
    }
    return {
      provider: 'ownpush',
      pushId: token.slice(0, OWN_PUSH_ID_LENGTH),
      secret: token.slice(OWN_PUSH_ID_LENGTH),
    };
  }
  let decoded;
  try {
    decoded = decodePushToken(Uint8Array.of(tokenType, ...token));
  } catch (error) {
    if (error instanceof ProtocolError) throw new PushError(PushErrorCode.InvalidToken, error.message);
    throw error;
  }
  switch (decoded.kind) {
    case 'none':
      if (token.length > 0) throw new PushError(PushErrorCode.InvalidToken, 'type 0x00 carries no token');
      return undefined;
    case 'fcm':
      return { provider: 'fcm', registrationToken: decoded.registrationToken };
    case 'hms':
      return { provider: 'hms', appId: decoded.appId, token: decoded.token };
    case 'apns':
      return {
        provider: 'apns',
        production: decoded.production,
        deviceToken: decoded.deviceToken,
        bundleId: '',
        payloadKey: undefined,
      };
    case 'apns-mutable-content':
      return {
        provider: 'apns',
        production: decoded.production,
        deviceToken: decoded.deviceToken,
        bundleId: decoded.bundleId,
        payloadKey: decoded.payloadKey,
      };
  }
}
