/** How the bench names its seeded identities: `B` + the row number in 7 upper-case hex digits (valid IDs). */
export function benchIdentityId(rowNumber: number): string {
  return `B${rowNumber.toString(16).toUpperCase().padStart(7, '0')}`;
}

/** The same naming in SQL, for generate_series (see seed.ts). */
export const BENCH_ID_SQL = `'B' || lpad(upper(to_hex(i)), 7, '0')`;
