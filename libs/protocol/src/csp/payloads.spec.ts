import { protocolErrorCodeOf } from '../../test/error-code';
import { hex } from '../../test/hex';
import { ProtocolErrorCode } from '../protocol-error';
import {
  decodeDeletePushTokens,
  decodeIdleTimeout,
  decodeMessageAck,
  encodeAlert,
  encodeCloseError,
  encodeMessageAck,
} from './payloads';
import { decodePushToken, PushTokenType } from './push-token';

describe('CSP payload bodies (spec §1.6)', () => {
  it('round-trips a message ack and refuses anything but 16 bytes', () => {
    const encoded = encodeMessageAck({ identity: '0HPT9EWD', messageId: 0x967df7af7e9aaa89n });
    expect(hex(encoded)).toBe(Buffer.from('0HPT9EWD').toString('hex') + '89aa9a7eaff77d96');
    expect(decodeMessageAck(encoded)).toEqual({ identity: '0HPT9EWD', messageId: 0x967df7af7e9aaa89n });
    expect(protocolErrorCodeOf(() => decodeMessageAck(encoded.subarray(0, 15)))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
    expect(protocolErrorCodeOf(() => decodeMessageAck(new Uint8Array(16)))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
  });

  it('encodes close-error and alert texts', () => {
    expect(hex(encodeCloseError(false, 'Another connection'))).toBe(
      '00' + Buffer.from('Another connection').toString('hex'),
    );
    expect(encodeCloseError(true, 'x')[0]).toBe(1);
    expect(Buffer.from(encodeAlert('Grüezi')).toString('utf8')).toBe('Grüezi');
  });

  it.each([
    [Uint8Array.of(30, 0), 30],
    [Uint8Array.of(0x58, 0x02), 600],
  ])('accepts idle timeout %p', (bytes, seconds) => {
    expect(decodeIdleTimeout(bytes)).toBe(seconds);
  });

  it.each([
    [Uint8Array.of(29, 0)],
    [Uint8Array.of(0x59, 0x02)],
    [Uint8Array.of(60)],
    [Uint8Array.of(60, 0, 0)],
  ])('refuses idle timeout %p', (bytes) => {
    expect(protocolErrorCodeOf(() => decodeIdleTimeout(bytes))).toBe(ProtocolErrorCode.INVALID_FIELD);
  });

  it('decodes device ids to delete and refuses a partial id', () => {
    const two = Buffer.concat([
      Buffer.from('0100000000000000', 'hex'),
      Buffer.from('ffffffffffffffff', 'hex'),
    ]);
    expect(decodeDeletePushTokens(two)).toEqual([1n, 0xffffffffffffffffn]);
    expect(decodeDeletePushTokens(new Uint8Array(0))).toEqual([]);
    expect(protocolErrorCodeOf(() => decodeDeletePushTokens(new Uint8Array(9)))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
  });
});

describe('push tokens (spec §7.1)', () => {
  it('decodes FCM and HMS tokens', () => {
    expect(
      decodePushToken(Buffer.concat([Uint8Array.of(PushTokenType.fcm), Buffer.from('fcm:abc-123')])),
    ).toEqual({
      kind: 'fcm',
      registrationToken: 'fcm:abc-123',
    });
    expect(
      decodePushToken(Buffer.concat([Uint8Array.of(PushTokenType.hms), Buffer.from('10577|TOKEN-x')])),
    ).toEqual({
      kind: 'hms',
      appId: '10577',
      token: 'TOKEN-x',
    });
    expect(decodePushToken(Uint8Array.of(PushTokenType.none))).toEqual({ kind: 'none' });
  });

  it('splits an APNs mutable-content token whose binary token and key contain the separator', () => {
    const deviceToken = Uint8Array.of(0x01, 0x7c, 0x02, 0x7c, 0x03);
    const key = new Uint8Array(32).fill(0x7c);
    const payload = Buffer.concat([
      Uint8Array.of(PushTokenType.apnsProductionMutableContent),
      deviceToken,
      Buffer.from('|ch.threema.iapp|'),
      key,
    ]);
    const decoded = decodePushToken(payload);
    expect(decoded).toEqual({
      kind: 'apns-mutable-content',
      production: true,
      deviceToken,
      bundleId: 'ch.threema.iapp',
      payloadKey: key,
    });
    payload[0] = PushTokenType.apnsDevelopmentMutableContent;
    expect(decodePushToken(payload)).toMatchObject({ production: false });
  });

  it.each([
    ['an empty payload', new Uint8Array(0), ProtocolErrorCode.INVALID_FIELD],
    ['an unknown type', Uint8Array.of(0x42, 1, 2), ProtocolErrorCode.INVALID_FIELD],
    ['an empty FCM token', Uint8Array.of(PushTokenType.fcm), ProtocolErrorCode.INVALID_FIELD],
    [
      'an HMS token without app id',
      Buffer.concat([Uint8Array.of(0x13), Buffer.from('|tok')]),
      ProtocolErrorCode.INVALID_FIELD,
    ],
    [
      'an APNs token without key',
      Buffer.concat([Uint8Array.of(0x05), Buffer.from('tok|bundle')]),
      ProtocolErrorCode.INVALID_FIELD,
    ],
    ['a token over 255 bytes', new Uint8Array(257).fill(0x41), ProtocolErrorCode.TOO_LARGE],
    ['a non-ASCII FCM token', Uint8Array.of(0x11, 0xff), ProtocolErrorCode.INVALID_FIELD],
  ])('refuses %s', (_name, bytes, code) => {
    const input = Uint8Array.from(bytes);
    if (input.length === 257) input[0] = PushTokenType.fcm;
    expect(protocolErrorCodeOf(() => decodePushToken(input))).toBe(code);
  });
});
