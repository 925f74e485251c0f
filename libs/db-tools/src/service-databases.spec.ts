import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { findWorkspaceRoot, SERVICE_DATABASES } from './index';

describe('SERVICE_DATABASES', () => {
  const root = findWorkspaceRoot();

  it.each(SERVICE_DATABASES.map((d) => [d.service, d] as const))(
    '%s has a Prisma config, schema and at least one migration',
    (_service, database) => {
      expect(existsSync(join(root, database.projectDir, 'prisma.config.ts'))).toBe(true);
      expect(existsSync(join(root, database.projectDir, 'prisma', 'schema.prisma'))).toBe(true);
      const migrations = readdirSync(join(root, database.projectDir, 'prisma', 'migrations'));
      expect(migrations.filter((name) => /^\d{14}_/.test(name)).length).toBeGreaterThan(0);
    },
  );

  it('gives every service its own PostgreSQL schema', () => {
    const schemas = SERVICE_DATABASES.map((d) => d.schema);
    expect(new Set(schemas).size).toBe(schemas.length);
  });
});
