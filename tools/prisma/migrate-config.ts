// Shared prisma.config factory for every service's migration project (toolchain recipe A: Prisma 6.19 with the
// Wasm schema engine, so migrations never download a native engine).
import './pg-catalog-types.cjs';

import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

export function servicePrismaConfig(schemaName: string): ReturnType<typeof defineConfig> {
  return defineConfig({
    experimental: { adapter: true },
    engine: 'js',
    adapter: () => {
      const raw = process.env.DATABASE_URL;
      if (!raw) throw new Error('DATABASE_URL is required to run migrations');
      // discrete fields, not connectionString: adapter-pg's shadow database would otherwise be the main one
      const url = new URL(raw);
      return Promise.resolve(
        new PrismaPg(
          {
            host: url.hostname,
            port: Number(url.port || 5432),
            user: decodeURIComponent(url.username),
            password: decodeURIComponent(url.password),
            database: url.pathname.slice(1),
            idleTimeoutMillis: 100,
            options: `-c search_path=${schemaName}`,
          },
          { schema: schemaName },
        ),
      );
    },
    schema: 'prisma/schema.prisma',
    migrations: { path: 'prisma/migrations' },
  });
}
