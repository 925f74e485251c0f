export interface PostgresUrlParts {
  readonly user: string;
  readonly password: string;
  readonly port: number;
  readonly database: string;
}

/** postgres://user:password@127.0.0.1:port/database, with user, password and database percent-encoded. */
export function postgresUrl({ user, password, port, database }: PostgresUrlParts): string {
  const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
  return `postgres://${credentials}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
