import { boxOpen } from '@ots/crypto';

import { protocolErrorCodeOf } from '../../test/error-code';
import { incomingMessageVector } from '../../test/incoming-message-vector';
import { decodeMessageWithMetadataBox } from '../csp/message-struct';
import { ProtocolErrorCode } from '../protocol-error';
import { addE2ePadding, randomPadLength, removeE2ePadding } from './padding';

const hi = Buffer.from('Hi', 'utf8');

describe('addE2ePadding (spec §3)', () => {
  it('appends padLength bytes that each equal padLength', () => {
    const padded = addE2ePadding(Buffer.alloc(40, 0x41), 5);
    expect(padded).toHaveLength(45);
    expect(Array.from(padded.subarray(40))).toEqual([5, 5, 5, 5, 5]);
  });

  it('raises the pad so that short data reaches 32 bytes', () => {
    const padded = addE2ePadding(hi, 1);
    expect(padded).toHaveLength(32);
    expect(padded.subarray(2).every((byte) => byte === 30)).toBe(true);
    expect(addE2ePadding(new Uint8Array(0), 1)).toHaveLength(32);
  });

  it('keeps a larger requested pad even for short data', () => {
    expect(addE2ePadding(hi, 234)).toHaveLength(236);
  });

  it.each([0, 256, 1.5])('refuses pad length %p with INVALID_PADDING', (padLength) => {
    expect(protocolErrorCodeOf(() => addE2ePadding(hi, padLength))).toBe(ProtocolErrorCode.INVALID_PADDING);
  });

  it('draws random pad lengths within 1..255 and not always the same', () => {
    const lengths = Array.from({ length: 200 }, () => randomPadLength());
    expect(lengths.every((length) => Number.isInteger(length) && length >= 1 && length <= 255)).toBe(true);
    expect(new Set(lengths).size).toBeGreaterThan(1);
    expect(addE2ePadding(Buffer.alloc(40)).length).toBeGreaterThan(40);
  });
});

describe('removeE2ePadding (spec §3)', () => {
  it('inverts addE2ePadding for every pad length', () => {
    for (let padLength = 1; padLength <= 255; padLength++) {
      const data = Buffer.alloc(33, 0x61);
      expect(Buffer.from(removeE2ePadding(addE2ePadding(data, padLength))).equals(data)).toBe(true);
    }
  });

  it('unpads the decrypted container of the spec §11.1.1 message to type 0x01 "Hi"', () => {
    const message = decodeMessageWithMetadataBox(incomingMessageVector.struct);
    const container = boxOpen(
      message.messageBox,
      message.nonce,
      incomingMessageVector.senderPublicKey,
      incomingMessageVector.receiverSecretKey,
    );
    const unpadded = removeE2ePadding(container);
    expect(unpadded[0]).toBe(0x01);
    expect(Buffer.from(unpadded.subarray(1)).toString('utf8')).toBe('Hi');
  });

  it.each<[string, Uint8Array]>([
    ['empty input', new Uint8Array(0)],
    ['a zero pad length', Uint8Array.of(0x01, 0x41, 0x00)],
    ['a pad longer than the input', Uint8Array.of(0x41, 0x05)],
  ])('rejects %s with INVALID_PADDING', (_name, padded) => {
    expect(protocolErrorCodeOf(() => removeE2ePadding(padded))).toBe(ProtocolErrorCode.INVALID_PADDING);
  });

  it('accepts a pad that covers the whole input, leaving nothing', () => {
    expect(removeE2ePadding(Uint8Array.of(0x02, 0x02))).toHaveLength(0);
  });
});
