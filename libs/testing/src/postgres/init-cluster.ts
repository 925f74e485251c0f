import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { type OsUser, ServerProcess } from '../process/server-process';
import type { PostgresBinaries } from './postgres-binaries';
import { postgresEnv } from './postgres-env';

export interface InitClusterOptions {
  readonly binaries: PostgresBinaries;
  /** Our temp dir; holds dataDir and, briefly, the password file. */
  readonly baseDir: string;
  readonly dataDir: string;
  readonly owner: OsUser | undefined;
  readonly user: string;
  readonly password: string;
  readonly onLog: ((line: string) => void) | undefined;
  /** Called with the initdb process, so cleanup can stop it if we are interrupted meanwhile. */
  readonly onSpawn: (initdb: ServerProcess) => void;
}

/** Creates a fresh cluster in dataDir (about 0.5 s) with a password-protected superuser. */
export async function initCluster(options: InitClusterOptions): Promise<void> {
  const { baseDir, dataDir, owner } = options;
  // mkdtemp made baseDir 0700 root-owned; the postgres OS user must be able to reach dataDir inside it
  await chmod(baseDir, 0o711);
  await mkdir(dataDir, { mode: 0o700 });
  const passwordFile = join(baseDir, 'superuser-password');
  await writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (owner) {
    await chown(dataDir, owner.uid, owner.gid);
    await chown(passwordFile, owner.uid, owner.gid);
  }
  try {
    const initdb = ServerProcess.spawn(options.binaries.initdb, initdbArgs(options, passwordFile), {
      owner,
      env: postgresEnv(),
      onLog: options.onLog,
      // a Ctrl-C would kill its bootstrap backend by default action, leaking a SysV shared memory segment; instead the
      // watchdog's SIGQUIT lets initdb stop it cleanly
      detached: true,
    });
    options.onSpawn(initdb);
    const status = await initdb.exited;
    if (status.code !== 0) throw new Error(`initdb ${initdb.describeExit()}:\n${initdb.output.toString()}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function initdbArgs(options: InitClusterOptions, passwordFile: string): string[] {
  return [
    `--pgdata=${options.dataDir}`,
    `--username=${options.user}`,
    `--pwfile=${passwordFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    // the builtin provider needs no OS locales: the same collation and case rules on every machine
    '--locale-provider=builtin',
    '--builtin-locale=C.UTF-8',
    '--locale=C',
    // throw-away cluster: skipping fsync saves a few hundred ms
    '--no-sync',
    '--no-instructions',
  ];
}
