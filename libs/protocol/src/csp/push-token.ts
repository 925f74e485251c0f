import { ProtocolError, ProtocolErrorCode } from '../protocol-error';

// spec §7.1: set-push-notification-token (0x20) and its VoIP twin (0x24): type u8 ‖ token.
export const PushTokenType = {
  none: 0x00,
  apnsProduction: 0x01,
  apnsDevelopment: 0x02,
  apnsProductionContentAvailable: 0x03,
  apnsDevelopmentContentAvailable: 0x04,
  apnsProductionMutableContent: 0x05,
  apnsDevelopmentMutableContent: 0x06,
  fcm: 0x11,
  hms: 0x13,
} as const;

export const MAX_PUSH_TOKEN_LENGTH = 255;
const PIPE = 0x7c;
const APNS_PAYLOAD_KEY_LENGTH = 32;

export type PushToken =
  | { readonly kind: 'none' }
  | { readonly kind: 'apns'; readonly production: boolean; readonly deviceToken: Uint8Array }
  | {
      readonly kind: 'apns-mutable-content';
      readonly production: boolean;
      readonly deviceToken: Uint8Array;
      readonly bundleId: string;
      /** the device's key for encrypting the `threema` dictionary of the alert (spec §7.2) */
      readonly payloadKey: Uint8Array;
    }
  | { readonly kind: 'fcm'; readonly registrationToken: string }
  | { readonly kind: 'hms'; readonly appId: string; readonly token: string };

export function decodePushToken(data: Uint8Array): PushToken {
  if (data.length === 0) throw invalid('empty push token payload');
  if (data.length - 1 > MAX_PUSH_TOKEN_LENGTH) {
    throw new ProtocolError(ProtocolErrorCode.TOO_LARGE, 'push token longer than 255 bytes');
  }
  const type = data[0];
  const token = data.slice(1);
  switch (type) {
    case PushTokenType.none:
      return { kind: 'none' };
    case PushTokenType.apnsProduction:
    case PushTokenType.apnsDevelopment:
    case PushTokenType.apnsProductionContentAvailable:
    case PushTokenType.apnsDevelopmentContentAvailable:
      requireNonEmpty(token);
      return { kind: 'apns', production: type % 2 === 1, deviceToken: token };
    case PushTokenType.apnsProductionMutableContent:
    case PushTokenType.apnsDevelopmentMutableContent:
      return { ...decodeApnsMutableContent(token), kind: 'apns-mutable-content', production: type === 0x05 };
    case PushTokenType.fcm:
      requireNonEmpty(token);
      return { kind: 'fcm', registrationToken: ascii(token, 'FCM token') };
    case PushTokenType.hms: {
      const separator = token.indexOf(PIPE);
      if (separator <= 0 || separator === token.length - 1)
        throw invalid('HMS token must be <appId>|<token>');
      return {
        kind: 'hms',
        appId: ascii(token.subarray(0, separator), 'HMS app id'),
        token: ascii(token.subarray(separator + 1), 'HMS token'),
      };
    }
    default:
      throw invalid(`unknown push token type 0x${type.toString(16)}`);
  }
}

/**
 * device token ‖ '|' ‖ bundle id ‖ '|' ‖ 32-byte key. Token and key are binary and may contain '|', so split
 * the key off the end first, then search backwards for the separator before the bundle id (spec §7.1).
 */
function decodeApnsMutableContent(token: Uint8Array): {
  deviceToken: Uint8Array;
  bundleId: string;
  payloadKey: Uint8Array;
} {
  const keyStart = token.length - APNS_PAYLOAD_KEY_LENGTH;
  if (keyStart < 4 || token[keyStart - 1] !== PIPE) throw invalid('APNs token must end with |<32-byte key>');
  const beforeKey = token.subarray(0, keyStart - 1);
  const separator = beforeKey.lastIndexOf(PIPE);
  if (separator <= 0 || separator === beforeKey.length - 1)
    throw invalid('APNs token must be <token>|<bundle id>|<key>');
  return {
    deviceToken: beforeKey.slice(0, separator),
    bundleId: ascii(beforeKey.subarray(separator + 1), 'bundle id'),
    payloadKey: token.slice(keyStart),
  };
}

function ascii(bytes: Uint8Array, field: string): string {
  if (!bytes.every((byte) => byte >= 0x20 && byte < 0x7f)) throw invalid(`${field} must be printable ASCII`);
  return Buffer.from(bytes).toString('latin1');
}

function requireNonEmpty(token: Uint8Array): void {
  if (token.length === 0) throw invalid('token is empty');
}

function invalid(message: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.INVALID_FIELD, `push token: ${message}`);
}
