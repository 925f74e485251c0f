import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Every file of `directory` (sorted by name, so runs are repeatable); none when it does not exist. */
export function readInputs(directory: string): { readonly file: string; readonly bytes: Uint8Array }[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !entry.name.endsWith('.txt'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(directory, name);
      return { file, bytes: new Uint8Array(readFileSync(file)) };
    });
}

/** A content-addressed name: the same input is written once. */
export function inputName(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex').slice(0, 16);
}

/** Writes `bytes` as `<prefix><sha1>.bin` (plus an optional `.txt` note) and returns the path. */
export function writeInput(directory: string, bytes: Uint8Array, prefix = '', note?: string): string {
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${prefix}${inputName(bytes)}.bin`);
  writeFileSync(file, bytes);
  if (note !== undefined) writeFileSync(file.replace(/\.bin$/, '.txt'), note);
  return file;
}
