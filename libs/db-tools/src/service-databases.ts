/**
 * Every service that owns tables, with its PostgreSQL schema and the data-access project holding its Prisma
 * schema and migration history. Migrations run in this order (each history is independent).
 */
export interface ServiceDatabase {
  readonly service: string;
  readonly schema: string;
  /** workspace-relative folder with prisma.config.ts, prisma/schema.prisma and prisma/migrations */
  readonly projectDir: string;
}

export const SERVICE_DATABASES: readonly ServiceDatabase[] = [
  { service: 'directory', schema: 'directory', projectDir: 'libs/directory/db' },
  { service: 'mailbox', schema: 'mailbox', projectDir: 'libs/mailbox/db' },
  { service: 'push', schema: 'push', projectDir: 'libs/push/db' },
];
