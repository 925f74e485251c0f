import { ProtocolError, ProtocolErrorCode } from '../protocol-error';

/** Sequential little-endian reader that turns every out-of-bounds read into ProtocolError TRUNCATED. */
export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    /** Names the structure in error messages, e.g. "message-with-metadata-box". */
    private readonly structure: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** Returns a copy, so that callers may keep it after the input buffer is reused. */
  readBytes(length: number, field: string): Uint8Array {
    const start = this.take(length, field);
    return this.bytes.slice(start, start + length);
  }

  /** A view of the next `length` bytes, not a copy: for reads that are done with it before the input changes. */
  readView(length: number, field: string): Uint8Array {
    const start = this.take(length, field);
    return this.bytes.subarray(start, start + length);
  }

  /** Steps over `length` bytes (still TRUNCATED when they are not there). */
  skip(length: number, field: string): void {
    this.take(length, field);
  }

  readRemaining(): Uint8Array {
    const start = this.take(this.remaining, 'rest');
    return this.bytes.slice(start);
  }

  readU8(field: string): number {
    return this.view.getUint8(this.take(1, field));
  }

  readU16LE(field: string): number {
    return this.view.getUint16(this.take(2, field), true);
  }

  readU32LE(field: string): number {
    return this.view.getUint32(this.take(4, field), true);
  }

  readU64LE(field: string): bigint {
    return this.view.getBigUint64(this.take(8, field), true);
  }

  private take(length: number, field: string): number {
    if (length > this.remaining) {
      throw new ProtocolError(
        ProtocolErrorCode.TRUNCATED,
        `${this.structure}: ${field} needs ${length} bytes at offset ${this.offset}, ${this.remaining} left`,
      );
    }
    const start = this.offset;
    this.offset += length;
    return start;
  }
}
