import type { ExportCoverage } from './export-coverage';
import { parsePrismaModels } from './prisma-models';

export interface ServiceSchema {
  readonly service: string;
  readonly schema: string;
}

/** An own property of a lookup table, or undefined (never an inherited one such as `constructor`). */
function own<T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Does `path` (dot-separated, `[]` = every list item) exist in `document`? Lists must hold at least one item. */
export function hasJsonPath(document: unknown, path: string): boolean {
  let values: unknown[] = [document];
  for (const part of path.split('.')) {
    const list = part.endsWith('[]');
    const key = list ? part.slice(0, -2) : part;
    const next: unknown[] = [];
    for (const value of values) {
      if (value === null || typeof value !== 'object' || !(key in value)) return false;
      const child = (value as Record<string, unknown>)[key];
      if (list) {
        if (!Array.isArray(child) || child.length === 0) return false;
        next.push(...(child as unknown[]));
      } else next.push(child);
    }
    values = next;
  }
  return true;
}

/**
 * Every column of every service schema must be covered (shown at a path that exists in `sampleDocument`, or not
 * shown with a reason), and the coverage must not name columns that no longer exist. Returns the problems.
 */
export function checkExportCoverage(
  schemas: readonly ServiceSchema[],
  coverage: ExportCoverage,
  sampleDocument: unknown,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { service, schema } of schemas) {
    for (const model of parsePrismaModels(schema)) {
      for (const field of model.fields) {
        const name = `${service}.${model.name}.${field}`;
        seen.add(name);
        const entry = own(own(own(coverage, service), model.name), field);
        if (entry === undefined) {
          problems.push(`${name} is neither shown by the export nor listed as not shown (with the reason)`);
        } else if ('shown' in entry) {
          if (!hasJsonPath(sampleDocument, entry.shown)) {
            problems.push(`${name} is listed as shown at ${entry.shown}, which the export does not contain`);
          }
        } else if (entry.notShown.trim().length < 10) {
          problems.push(`${name} is not shown but gives no reason`);
        }
      }
    }
  }
  for (const [service, models] of Object.entries(coverage)) {
    for (const [model, fields] of Object.entries(models)) {
      for (const field of Object.keys(fields)) {
        const name = `${service}.${model}.${field}`;
        if (!seen.has(name)) problems.push(`${name} is covered but no such column exists any more`);
      }
    }
  }
  return problems;
}
