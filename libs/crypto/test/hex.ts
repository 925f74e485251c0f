/** Test helpers: compare bytes as hex so failures print readable diffs. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(clean)) throw new Error(`not hex: ${clean.slice(0, 16)}…`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function filled(length: number, byte: number): Uint8Array {
  return new Uint8Array(length).fill(byte);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** CSP nonce = 16-byte cookie ‖ u64-le sequence number (spec §1.2). */
export function cspNonce(cookie: Uint8Array, sequenceNumber: number): Uint8Array {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64LE(BigInt(sequenceNumber));
  return concat(cookie, counter);
}
