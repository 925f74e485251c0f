/** A model of a Prisma schema and its scalar fields (columns; relation fields are left out). */
export interface PrismaModel {
  readonly name: string;
  readonly fields: readonly string[];
}

/**
 * The models of a Prisma schema with their column fields. Enough of the grammar for our schemas: `model X {`,
 * one field per line (`name Type modifiers…`), block attributes (`@@…`) and comments skipped, and fields whose
 * type is another model of the same schema (relations, not columns) left out.
 */
export function parsePrismaModels(schema: string): PrismaModel[] {
  const raw: { name: string; fields: { name: string; type: string }[] }[] = [];
  let current: (typeof raw)[number] | undefined;
  for (const fullLine of schema.split('\n')) {
    const line = fullLine.replace(/\/\/.*$/, '').trim();
    if (line.length === 0) continue;
    const opening = /^model\s+(\w+)\s*\{$/.exec(line);
    if (opening !== null) {
      current = { name: opening[1], fields: [] };
      raw.push(current);
      continue;
    }
    if (line === '}') {
      current = undefined;
      continue;
    }
    if (current === undefined || line.startsWith('@@')) continue;
    const field = /^(\w+)\s+(\w+)/.exec(line);
    if (field !== null) current.fields.push({ name: field[1], type: field[2] });
  }
  const modelNames = new Set(raw.map((model) => model.name));
  return raw.map((model) => ({
    name: model.name,
    fields: model.fields.filter((field) => !modelNames.has(field.type)).map((field) => field.name),
  }));
}
