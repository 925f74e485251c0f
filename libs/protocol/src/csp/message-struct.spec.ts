import { protocolErrorCodeOf } from '../../test/error-code';
import { fromHex, hex } from '../../test/hex';
import { incomingMessageVector } from '../../test/incoming-message-vector';
import { ProtocolErrorCode } from '../protocol-error';
import { CSP_MAX_PAYLOAD_LENGTH } from './limits';
import { hasMessageFlag, MessageFlag } from './message-flags';
import {
  decodeLegacyMessage,
  decodeMessageWithMetadataBox,
  encodeLegacyMessage,
  encodeMessageWithMetadataBox,
  type LegacyMessage,
  type MessageWithMetadataBox,
  validateMessageWithMetadataBox,
} from './message-struct';

const vector = incomingMessageVector.struct;

function withBytes(bytes: Uint8Array, offset: number, replacement: number[]): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy.set(replacement, offset);
  return copy;
}

function legacySample(overrides: Partial<LegacyMessage> = {}): LegacyMessage {
  return {
    senderIdentity: '*MY3DATA',
    receiverIdentity: 'ECHOECHO',
    messageId: 0x0123456789abcdefn,
    createdAt: 1_700_000_000,
    flags: MessageFlag.SEND_PUSH_NOTIFICATION | MessageFlag.NO_DELIVERY_RECEIPTS,
    senderNickname: Uint8Array.from(Buffer.concat([Buffer.from('Bot'), Buffer.alloc(29)])),
    nonce: new Uint8Array(24).fill(0x5a),
    messageBox: new Uint8Array(49).fill(0xc3),
    ...overrides,
  };
}

describe('decodeMessageWithMetadataBox (spec §2.1, vector §11.1.1)', () => {
  const message = decodeMessageWithMetadataBox(vector);

  it('decodes the envelope fields', () => {
    expect(message.senderIdentity).toBe('0DA5ME76');
    expect(message.receiverIdentity).toBe('0HPT9EWD');
    // message-id bytes 89aa9a7eaff77d96 read as u64-le
    expect(message.messageId).toBe(0x967df7af7e9aaa89n);
    expect(message.createdAt).toBe(1747416011);
    expect(message.flags).toBe(0x01);
    expect(hasMessageFlag(message.flags, MessageFlag.SEND_PUSH_NOTIFICATION)).toBe(true);
    expect(hasMessageFlag(message.flags, MessageFlag.NO_SERVER_ACK)).toBe(false);
  });

  it('splits the metadata container, nonce and 253-byte message box', () => {
    expect(message.legacySenderNickname.every((byte) => byte === 0)).toBe(true);
    expect(message.metadataContainer).toHaveLength(52);
    expect(hex(message.metadataContainer.subarray(0, 16))).toBe('439039d79074fa4a0d0961d651af57b9');
    expect(hex(message.nonce)).toBe(incomingMessageVector.nonce);
    expect(message.messageBox).toHaveLength(253);
    expect(hex(message.messageBox.subarray(0, 16))).toBe('712e263aab0c2c4a920182f01f810df0');
  });

  it('re-encodes to the identical 393 bytes', () => {
    expect(hex(encodeMessageWithMetadataBox(message))).toBe(hex(vector));
  });

  it('returns copies that do not change when the input buffer is reused', () => {
    const buffer = Uint8Array.from(vector);
    const decoded = decodeMessageWithMetadataBox(buffer);
    buffer.fill(0);
    expect(hex(decoded.nonce)).toBe(incomingMessageVector.nonce);
  });

  it('validates without copying: the envelope of the vector, and the refusals of the decoder', () => {
    expect(validateMessageWithMetadataBox(vector)).toEqual({
      senderIdentity: '0DA5ME76',
      receiverIdentity: '0HPT9EWD',
      messageId: 0x967df7af7e9aaa89n,
      createdAt: 1747416011,
      flags: 0x01,
    });
    // the message box one byte short of MAC + type (the decoder's own boundary tests run through the same check)
    const shortBox = vector.subarray(0, 88 + 52 + 16);
    expect(protocolErrorCodeOf(() => validateMessageWithMetadataBox(shortBox))).toBe(
      ProtocolErrorCode.TRUNCATED,
    );
    expect(validateMessageWithMetadataBox(vector.subarray(0, 88 + 52 + 17)).messageId).toBe(
      message.messageId,
    );
    expect(protocolErrorCodeOf(() => validateMessageWithMetadataBox(withBytes(vector, 0, [0x61])))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
  });

  it('accepts a message without metadata (M = 0)', () => {
    const withoutMetadata = encodeMessageWithMetadataBox({
      ...message,
      metadataContainer: new Uint8Array(0),
    });
    expect(withoutMetadata).toHaveLength(88 + 253);
    expect(decodeMessageWithMetadataBox(withoutMetadata).metadataContainer).toHaveLength(0);
  });

  it('ignores the reserved byte 29 on decode and writes it as 0', () => {
    const reservedSet = withBytes(vector, 29, [0x7f]);
    expect(hex(encodeMessageWithMetadataBox(decodeMessageWithMetadataBox(reservedSet)))).toBe(hex(vector));
  });

  it.each([0, 1, 8, 29, 31, 63, 64, 115, 116, 139, 140, 156])(
    'rejects the vector truncated to %i bytes as TRUNCATED',
    (length) => {
      expect(protocolErrorCodeOf(() => decodeMessageWithMetadataBox(vector.subarray(0, length)))).toBe(
        ProtocolErrorCode.TRUNCATED,
      );
    },
  );

  it('rejects a metadata-length that runs past the end as TRUNCATED', () => {
    const tooLong = withBytes(vector, 30, [0x00, 0x02]); // 512
    expect(protocolErrorCodeOf(() => decodeMessageWithMetadataBox(tooLong))).toBe(
      ProtocolErrorCode.TRUNCATED,
    );
  });

  it.each([1, 16])('rejects metadata-length %i (no room for the MAC) as INVALID_FIELD', (length) => {
    const bad = withBytes(vector, 30, [length, 0x00]);
    expect(protocolErrorCodeOf(() => decodeMessageWithMetadataBox(bad))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
  });

  it('rejects an invalid sender or receiver identity as INVALID_FIELD', () => {
    const lowerCaseSender = withBytes(vector, 0, [...Buffer.from('0da5me76')]);
    const starInReceiver = withBytes(vector, 8, [...Buffer.from('0HPT*EWD')]);
    expect(protocolErrorCodeOf(() => decodeMessageWithMetadataBox(lowerCaseSender))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
    expect(protocolErrorCodeOf(() => decodeMessageWithMetadataBox(starInReceiver))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
  });

  it('accepts the largest payload a frame can carry and rejects one byte more as TOO_LARGE', () => {
    const boxLength = CSP_MAX_PAYLOAD_LENGTH - 88 - 52;
    const largest = encodeMessageWithMetadataBox({ ...message, messageBox: new Uint8Array(boxLength) });
    expect(largest).toHaveLength(8172);
    expect(decodeMessageWithMetadataBox(largest).messageBox).toHaveLength(boxLength);
    const oversized = new Uint8Array(largest.length + 1);
    oversized.set(largest);
    expect(protocolErrorCodeOf(() => decodeMessageWithMetadataBox(oversized))).toBe(
      ProtocolErrorCode.TOO_LARGE,
    );
    expect(
      protocolErrorCodeOf(() =>
        encodeMessageWithMetadataBox({ ...message, messageBox: new Uint8Array(boxLength + 1) }),
      ),
    ).toBe(ProtocolErrorCode.TOO_LARGE);
  });
});

describe('encodeMessageWithMetadataBox validation', () => {
  const message: MessageWithMetadataBox = decodeMessageWithMetadataBox(vector);

  it.each<[string, Partial<MessageWithMetadataBox>]>([
    ['a message-id above u64', { messageId: 1n << 64n }],
    ['a negative message-id', { messageId: -1n }],
    ['a created-at above u32', { createdAt: 2 ** 32 }],
    ['a fractional created-at', { createdAt: 1.5 }],
    ['flags above u8', { flags: 0x100 }],
    ['a lowercase identity', { senderIdentity: 'abcdefgh' }],
    ['a 7-character identity', { receiverIdentity: 'ABCDEFG' }],
    ['a 23-byte nonce', { nonce: new Uint8Array(23) }],
    ['a 31-byte nickname field', { legacySenderNickname: new Uint8Array(31) }],
    ['a 16-byte metadata container', { metadataContainer: new Uint8Array(16) }],
    ['a 16-byte message box', { messageBox: new Uint8Array(16) }],
  ])('refuses %s with INVALID_FIELD', (_name, override) => {
    expect(protocolErrorCodeOf(() => encodeMessageWithMetadataBox({ ...message, ...override }))).toBe(
      ProtocolErrorCode.INVALID_FIELD,
    );
  });
});

describe('legacy-message (spec §2.2)', () => {
  it('round-trips every field through encode and decode', () => {
    const sample = legacySample();
    const encoded = encodeLegacyMessage(sample);
    expect(encoded).toHaveLength(88 + 49);
    expect(hex(encoded.subarray(0, 32))).toBe(
      hex(Buffer.from('*MY3DATA')) +
        hex(Buffer.from('ECHOECHO')) +
        'efcdab8967452301' +
        '00f15365' +
        '81' +
        '00' +
        '0000',
    );
    const decoded = decodeLegacyMessage(encoded);
    expect(decoded.senderIdentity).toBe('*MY3DATA');
    expect(decoded.receiverIdentity).toBe('ECHOECHO');
    expect(decoded.messageId).toBe(sample.messageId);
    expect(decoded.createdAt).toBe(sample.createdAt);
    expect(decoded.flags).toBe(0x81);
    expect(Buffer.from(decoded.senderNickname).toString('utf8').replace(/\0+$/, '')).toBe('Bot');
    expect(hex(decoded.nonce)).toBe(hex(sample.nonce));
    expect(hex(decoded.messageBox)).toBe(hex(sample.messageBox));
  });

  it('rejects a non-zero reserved-metadata-length as INVALID_FIELD', () => {
    const encoded = encodeLegacyMessage(legacySample());
    encoded[30] = 0x01;
    expect(protocolErrorCodeOf(() => decodeLegacyMessage(encoded))).toBe(ProtocolErrorCode.INVALID_FIELD);
  });

  it('rejects truncated input, including a message box shorter than MAC + type byte', () => {
    const encoded = encodeLegacyMessage(legacySample());
    expect(protocolErrorCodeOf(() => decodeLegacyMessage(encoded.subarray(0, 87)))).toBe(
      ProtocolErrorCode.TRUNCATED,
    );
    expect(protocolErrorCodeOf(() => decodeLegacyMessage(encoded.subarray(0, 88 + 16)))).toBe(
      ProtocolErrorCode.TRUNCATED,
    );
    expect(decodeLegacyMessage(encoded.subarray(0, 88 + 17)).messageBox).toHaveLength(17);
  });

  it('rejects input beyond the frame limit as TOO_LARGE', () => {
    expect(protocolErrorCodeOf(() => decodeLegacyMessage(new Uint8Array(CSP_MAX_PAYLOAD_LENGTH + 1)))).toBe(
      ProtocolErrorCode.TOO_LARGE,
    );
    expect(
      protocolErrorCodeOf(() =>
        encodeLegacyMessage(legacySample({ messageBox: new Uint8Array(CSP_MAX_PAYLOAD_LENGTH - 87) })),
      ),
    ).toBe(ProtocolErrorCode.TOO_LARGE);
  });

  it('does not read a metadata-box struct with metadata as legacy', () => {
    expect(protocolErrorCodeOf(() => decodeLegacyMessage(vector))).toBe(ProtocolErrorCode.INVALID_FIELD);
  });

  it('refuses to encode a 25-byte nonce', () => {
    expect(
      protocolErrorCodeOf(() => encodeLegacyMessage(legacySample({ nonce: fromHex('00'.repeat(25)) }))),
    ).toBe(ProtocolErrorCode.INVALID_FIELD);
  });
});
