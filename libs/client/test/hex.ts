/** Test helpers: compare bytes as hex so failures print readable diffs. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(clean)) throw new Error(`not hex: ${clean.slice(0, 16)}…`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}
