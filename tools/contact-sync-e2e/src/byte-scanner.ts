import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The encodings a 32-byte hash could be written in: raw, hex (lower/upper), base64 (standard/url-safe). */
export function encodedForms(bytes: Uint8Array): { name: string; needle: Buffer }[] {
  const raw = Buffer.from(bytes);
  const hex = raw.toString('hex');
  // padding stripped: the unpadded prefix also finds the padded form
  const base64 = raw.toString('base64').replace(/=+$/, '');
  return [
    { name: 'raw', needle: raw },
    { name: 'hex', needle: Buffer.from(hex, 'latin1') },
    { name: 'HEX', needle: Buffer.from(hex.toUpperCase(), 'latin1') },
    { name: 'base64', needle: Buffer.from(base64, 'latin1') },
    { name: 'base64url', needle: Buffer.from(raw.toString('base64url'), 'latin1') },
  ];
}

export interface ScanSource {
  /** file path or a label such as "contact-sync stdout" */
  readonly name: string;
  readonly bytes: Buffer;
}

/** Every regular file below `dir` (recursively), read fully. */
export async function filesBelow(dir: string): Promise<ScanSource[]> {
  const sources: ScanSource[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    try {
      sources.push({ name: path, bytes: await readFile(path) });
    } catch (error) {
      // a file PostgreSQL removed between listing and reading (e.g. a recycled WAL segment) holds nothing now
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return sources;
}

/** Where any encoding of `bytes` occurs: "<source> (<form>)" for each hit. */
export function findOccurrences(sources: readonly ScanSource[], bytes: Uint8Array): string[] {
  const forms = encodedForms(bytes);
  const hits: string[] = [];
  for (const source of sources) {
    for (const form of forms) {
      if (source.bytes.includes(form.needle)) hits.push(`${source.name} (${form.name})`);
    }
  }
  return hits;
}
