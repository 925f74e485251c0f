/** A minimal protobuf field walker for asserting decrypted metadata in tests (varint, fixed64, bytes). */
export type ProtobufValue = bigint | Uint8Array;

function readVarint(bytes: Uint8Array, offset: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (let i = offset; i < bytes.length; i++) {
    value |= BigInt(bytes[i] & 0x7f) << shift;
    if ((bytes[i] & 0x80) === 0) return [value, i + 1];
    shift += 7n;
  }
  throw new Error('truncated varint');
}

export function protobufFields(bytes: Uint8Array): Map<number, ProtobufValue> {
  const fields = new Map<number, ProtobufValue>();
  let offset = 0;
  while (offset < bytes.length) {
    const [tag, afterTag] = readVarint(bytes, offset);
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (wireType === 0) {
      const [value, next] = readVarint(bytes, afterTag);
      fields.set(field, value);
      offset = next;
    } else if (wireType === 1) {
      fields.set(field, Buffer.from(bytes.subarray(afterTag, afterTag + 8)).readBigUInt64LE());
      offset = afterTag + 8;
    } else if (wireType === 2) {
      const [length, start] = readVarint(bytes, afterTag);
      fields.set(field, bytes.subarray(start, start + Number(length)));
      offset = start + Number(length);
    } else {
      throw new Error(`unsupported wire type ${wireType}`);
    }
  }
  return fields;
}
