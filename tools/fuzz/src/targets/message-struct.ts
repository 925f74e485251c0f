import {
  decodeDeletePushTokens,
  decodeIdleTimeout,
  decodeLegacyMessage,
  decodeMessageAck,
  decodeMessageWithMetadataBox,
  decodePushToken,
  encodeLegacyMessage,
  encodeMessageAck,
  encodeMessageWithMetadataBox,
  PayloadType,
  ProtocolError,
  PushTokenType,
  removeE2ePadding,
  toLegacyMessage,
  toMessageWithMetadataBox,
} from '@ots/protocol';

import {
  ascii,
  decodeOrRefuse,
  type FuzzTarget,
  hex,
  PropertyViolation,
  requireBoundedOutput,
  requireEqual,
  select,
} from './target';

// spec §2.1/§2.2: message structs in both versions (with the conversions the mailbox applies between them),
// and the spec §1.6 payload decoders: message acks, idle timeout, delete-push-token, push tokens (§7.1) and the
// E2E padding (§3).

const isProtocolError = (error: unknown): boolean => error instanceof ProtocolError;

/** Byte 29 is reserved: read leniently, always written as zero. */
function withReservedZero(body: Uint8Array): Uint8Array {
  const copy = body.slice();
  if (copy.length > 29) copy[29] = 0;
  return copy;
}

function metadataBox(body: Uint8Array): void {
  const message = decodeOrRefuse(() => decodeMessageWithMetadataBox(body), isProtocolError);
  if (!message) return;
  requireBoundedOutput(message, body.length, 'message-with-metadata-box');
  requireEqual(encodeMessageWithMetadataBox(message), withReservedZero(body), 'message-with-metadata-box');
  // what a legacy receiver gets: decodes again to the same envelope, nonce and box
  const legacy = decodeLegacyMessage(encodeLegacyMessage(toLegacyMessage(message)));
  requireEqual(legacy, toLegacyMessage(message), 'metadata → legacy');
}

function legacyMessage(body: Uint8Array): void {
  const message = decodeOrRefuse(() => decodeLegacyMessage(body), isProtocolError);
  if (!message) return;
  requireBoundedOutput(message, body.length, 'legacy-message');
  requireEqual(encodeLegacyMessage(message), withReservedZero(body), 'legacy-message');
  const converted = decodeMessageWithMetadataBox(
    encodeMessageWithMetadataBox(toMessageWithMetadataBox(message)),
  );
  requireEqual(converted, toMessageWithMetadataBox(message), 'legacy → metadata');
}

function messageAck(body: Uint8Array): void {
  const ack = decodeOrRefuse(() => decodeMessageAck(body), isProtocolError);
  if (ack) requireEqual(encodeMessageAck(ack), body, 'message-ack');
}

function idleTimeout(body: Uint8Array): void {
  const seconds = decodeOrRefuse(() => decodeIdleTimeout(body), isProtocolError);
  if (seconds !== undefined && (seconds < 30 || seconds > 600))
    throw new PropertyViolation(`idle timeout ${String(seconds)} s accepted`);
}

function deletePushTokens(body: Uint8Array): void {
  const ids = decodeOrRefuse(() => decodeDeletePushTokens(body), isProtocolError);
  if (ids && ids.length * 8 !== body.length)
    throw new PropertyViolation('device ids do not cover the payload');
}

function pushToken(body: Uint8Array): void {
  const token = decodeOrRefuse(() => decodePushToken(body), isProtocolError);
  if (token) requireBoundedOutput(token, body.length, 'push token');
}

function e2ePadding(body: Uint8Array): void {
  const data = decodeOrRefuse(() => removeE2ePadding(body), isProtocolError);
  if (data && data.length !== body.length - body[body.length - 1])
    throw new PropertyViolation('padding removal kept the wrong length');
}

const SUB_TARGETS = [
  metadataBox,
  legacyMessage,
  messageAck,
  idleTimeout,
  deletePushTokens,
  pushToken,
  e2ePadding,
];

/** spec §11.1.1: LIBT's incoming message-with-metadata-box, 393 bytes. */
const LIBT_MESSAGE = hex(`
  304441354d453736304850543945574489aa9a7eaff77d96cb732768010034000000000000000000
  000000000000000000000000000000000000000000000000439039d79074fa4a0d0961d651af57b9
  4b7245c4c686733aab55b7f2b049fa3a8a5fec982eaa27d37557beaadd802cfc2703d849b2d718b0
  db179e3e3bcdbf3c2be997490a0349f2e4fbaa43712e263aab0c2c4a920182f01f810df063363191
  b26c2c6404c0e84e73a3e005e327589702878e259642e1cf3b29e36db1c6a258f55ea73c842fddaf
  ffd76a3057c0c13b6881bccc6522a0edee793f586fcb9ec5b398eb3be0af1a8c6111fe463ed25d91
  6e66bea54955ca3398e27cbae25bfb6c16e26f326ecf8a4ba81aef9312b59f612b9e3355de6c14c0
  434dc195e0a03462fc95d836a7bca74bda61d59be8489a9fdd9e626e7cb7324ac0724b0a42168a5b
  ea525eaef17d3bf13bbd8551ab8c85f5892fa6ba9c32e01343c3bc8ed2ad59f54411de089b193dca
  452b9699dafe34d124dfe521a956cce4adf58902a4c7b8bcf3d4548848dd2f1bee`);

function withSelector(which: number, bytes: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([Uint8Array.of(which), bytes]));
}

export const messageStructTarget: FuzzTarget = {
  name: 'message-struct',
  coverage: [
    'libs/protocol/src/csp/message-struct.ts',
    'libs/protocol/src/csp/message-conversion.ts',
    'libs/protocol/src/csp/payloads.ts',
    'libs/protocol/src/csp/push-token.ts',
    'libs/protocol/src/e2e/padding.ts',
    'libs/protocol/src/codec',
    'libs/protocol/src/threema-id.ts',
  ],
  dictionary: [
    ascii('0DA5ME76'),
    ascii('0HPT9EWD'),
    ascii('*THREEMA'),
    ascii('|'),
    ascii('ch.threema.iapp'),
    Uint8Array.of(0x34, 0x00),
    Uint8Array.of(0x11, 0x00),
    new Uint8Array(24),
    new Uint8Array(32),
    ...Object.values(PushTokenType).map((type) => Uint8Array.of(type)),
  ],
  maxInputLength: 8192,
  run(input) {
    const { which, body } = select(input, SUB_TARGETS.length);
    SUB_TARGETS[which](body);
  },
  seeds() {
    const message = decodeMessageWithMetadataBox(LIBT_MESSAGE);
    const legacy = encodeLegacyMessage(toLegacyMessage(message));
    const ack = encodeMessageAck({ identity: '0HPT9EWD', messageId: message.messageId });
    const deviceIds = new Uint8Array(16);
    new DataView(deviceIds.buffer).setBigUint64(0, 0x0102030405060708n, true);
    const apnsMutable = Buffer.concat([
      Uint8Array.of(PushTokenType.apnsProductionMutableContent),
      new Uint8Array(32).fill(0xab),
      ascii('|ch.threema.iapp|'),
      new Uint8Array(32).fill(0x7c),
    ]);
    const padded = Buffer.concat([ascii('Hi'), new Uint8Array(30).fill(30)]);
    return [
      { name: 'libt-incoming-message', bytes: withSelector(0, LIBT_MESSAGE) },
      { name: 'legacy-message', bytes: withSelector(1, legacy) },
      { name: 'message-ack', bytes: withSelector(2, ack) },
      { name: 'idle-timeout', bytes: withSelector(3, Uint8Array.of(0x2c, 0x01)) },
      { name: 'delete-push-tokens', bytes: withSelector(4, deviceIds) },
      {
        name: 'push-token-fcm',
        bytes: withSelector(5, Buffer.concat([Uint8Array.of(0x11), ascii('fcm-token:abc')])),
      },
      {
        name: 'push-token-hms',
        bytes: withSelector(5, Buffer.concat([Uint8Array.of(0x13), ascii('1234|token')])),
      },
      { name: 'push-token-apns-mutable', bytes: withSelector(5, apnsMutable) },
      { name: 'push-token-none', bytes: withSelector(5, Uint8Array.of(PayloadType.echoRequest)) },
      { name: 'e2e-padding', bytes: withSelector(6, padded) },
    ];
  },
};
