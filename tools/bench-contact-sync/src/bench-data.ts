import { createHash } from 'node:crypto';

import type { HashKind, LinkedHashEntry } from '@ots/contact-sync-index';

// The bench's synthetic directory, defined once for the SQL seed and for the Node side (queries, in-process
// index): row i (1-based) is identity `C` + 7 hex digits with exactly one linked hash (odd rows an e-mail hash,
// even rows a phone hash): the worst case for bytes per linked hash, since nothing per identity is shared.
// Every 50th identity is inactive. Hashes are SHA-256 of a label: uniformly spread like the real HMAC-SHA256.

export const INACTIVE_EVERY = 50;

export function benchIdentity(row: number): string {
  return `C${row.toString(16).toUpperCase().padStart(7, '0')}`;
}

export const kindOfRow = (row: number): HashKind => (row % 2 === 1 ? 'email' : 'mobileNo');
export const isActiveRow = (row: number): boolean => row % INACTIVE_EVERY !== 0;

const sha256 = (label: string): Buffer => createHash('sha256').update(label, 'utf8').digest();

export const linkedHashOf = (row: number): Buffer => sha256(`${kindOfRow(row)}:${String(row)}`);
export const publicKeyOf = (row: number): Buffer => sha256(`pk:${String(row)}`);
/** A hash no row links. */
export const missHashOf = (n: number): Buffer => sha256(`miss:${String(n)}`);

/** Row i as the index receives it from the directory's stream (fresh objects, like a decoded message). */
export function linkedHashEntry(row: number): LinkedHashEntry {
  return {
    kind: kindOfRow(row),
    hash: linkedHashOf(row),
    identity: benchIdentity(row),
    publicKey: publicKeyOf(row),
    active: isActiveRow(row),
  };
}

/** The same rows in SQL over generate_series(1, count) AS i (see seed.ts). */
export const SEED_SQL = {
  id: `'C' || lpad(upper(to_hex(i)), 7, '0')`,
  publicKey: `sha256(convert_to('pk:' || i, 'UTF8'))`,
  state: `CASE WHEN i % ${String(INACTIVE_EVERY)} = 0 THEN 1 ELSE 0 END`,
  emailHash: `CASE WHEN i % 2 = 1 THEN sha256(convert_to('email:' || i, 'UTF8')) END`,
  mobileNoHash: `CASE WHEN i % 2 = 0 THEN sha256(convert_to('mobileNo:' || i, 'UTF8')) END`,
} as const;

export interface MatchQuery {
  readonly emailHashes: Uint8Array[];
  readonly mobileNoHashes: Uint8Array[];
  /** identities an exact index must return (includeInactive false) */
  readonly expectedMatches: number;
}

/**
 * A match request of `size` hashes, half e-mail and half phone, of which `hitRatio` are linked (random rows of
 * the right kind) and the rest unknown.
 */
export function matchQuery(rows: number, size: number, hitRatio: number, random = Math.random): MatchQuery {
  const emailHashes: Uint8Array[] = [];
  const mobileNoHashes: Uint8Array[] = [];
  const matched = new Set<number>();
  for (let n = 0; n < size; n++) {
    const email = n % 2 === 0;
    if (random() < hitRatio) {
      // a random row of the wanted kind: odd rows link e-mail hashes, even rows phone hashes
      let row = 1 + Math.floor(random() * rows);
      if (kindOfRow(row) !== (email ? 'email' : 'mobileNo')) row = row === rows ? row - 1 : row + 1;
      if (isActiveRow(row)) matched.add(row);
      (email ? emailHashes : mobileNoHashes).push(new Uint8Array(linkedHashOf(row)));
    } else {
      (email ? emailHashes : mobileNoHashes).push(new Uint8Array(missHashOf(Math.floor(random() * 2 ** 40))));
    }
  }
  return { emailHashes, mobileNoHashes, expectedMatches: matched.size };
}
