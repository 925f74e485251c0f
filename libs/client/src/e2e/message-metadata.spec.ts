import { errorCodeOf } from '../../test/error-code';
import { fromHex, hex } from '../../test/hex';
import { incomingMessageVector as vector } from '../../test/spec-vectors';
import { E2eErrorCode } from './e2e-error';
import { decodeMessageMetadata, encodeMessageMetadata } from './message-metadata';

const messageId = Buffer.from(vector.messageIdBytes, 'hex').readBigUInt64LE();

describe('csp_e2e.MessageMetadata protobuf codec (spec §2.4)', () => {
  it('encodes the metadata of the §11.1 vector byte for byte and decodes it back', () => {
    const metadata = { nickname: vector.nickname, messageId, createdAtMs: vector.createdAtMs };
    expect(hex(encodeMessageMetadata(metadata))).toBe(vector.metadataProtobuf);
    expect(decodeMessageMetadata(fromHex(vector.metadataProtobuf))).toEqual(metadata);
  });

  it('round-trips padding and an empty nickname, and leaves proto3 defaults out', () => {
    const metadata = { padding: new Uint8Array(5).fill(0), nickname: '', messageId: 1n, createdAtMs: 0 };
    const encoded = encodeMessageMetadata(metadata);
    expect(hex(encoded)).toBe('0a0500000000001200' + '190100000000000000');
    expect(decodeMessageMetadata(encoded)).toEqual(metadata);
    expect(encodeMessageMetadata({ messageId: 0n, createdAtMs: 0 })).toHaveLength(0);
    expect(decodeMessageMetadata(new Uint8Array(0))).toEqual({ messageId: 0n, createdAtMs: 0 });
  });

  it('skips unknown fields of every wire type', () => {
    // field 9 varint 300, field 10 fixed64, field 11 bytes "ab", field 12 fixed32, then created_at = 1
    const withUnknown = fromHex('48ac02' + '510102030405060708' + '5a026162' + '6501020304' + '2001');
    expect(decodeMessageMetadata(withUnknown)).toEqual({ messageId: 0n, createdAtMs: 1 });
  });

  it('encodes the largest message ID and a multi-byte varint', () => {
    const metadata = { messageId: (1n << 64n) - 1n, createdAtMs: Number.MAX_SAFE_INTEGER };
    expect(decodeMessageMetadata(encodeMessageMetadata(metadata))).toEqual(metadata);
  });

  it.each([
    ['a truncated varint', '20ff'],
    ['a varint longer than 10 bytes', '20ffffffffffffffffffff01'],
    ['a varint beyond 64 bits', '20ffffffffffffffffff7f'],
    ['a length past the end', '1205616263'],
    ['a huge length', '12ffffffffffffffffff01'],
    ['a truncated fixed64', '190102'],
    ['a wrong wire type for a known field', '1801'],
    ['a group wire type', '5b'],
    ['field number 0', '0001'],
    ['a nickname that is not UTF-8', '1202c328'],
    ['a created_at beyond 2^53', '2080808080808080808001'],
  ])('refuses %s as MALFORMED', (_case, bytes) => {
    expect(errorCodeOf(() => decodeMessageMetadata(fromHex(bytes)))).toBe(E2eErrorCode.MALFORMED);
  });

  it('refuses values out of range when encoding', () => {
    expect(errorCodeOf(() => encodeMessageMetadata({ messageId: 1n << 64n, createdAtMs: 0 }))).toBe(
      E2eErrorCode.INVALID_INPUT,
    );
    expect(errorCodeOf(() => encodeMessageMetadata({ messageId: 1n, createdAtMs: 1.5 }))).toBe(
      E2eErrorCode.INVALID_INPUT,
    );
  });
});
