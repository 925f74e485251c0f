import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const DEBIAN_PATH = '/usr/sbin/nats-server';

/**
 * Finds nats-server on PATH or where Debian's package puts it (/usr/sbin is not on every user's PATH). No npm package
 * ships the binary, so it comes from apt.
 */
export function findNatsServer(pathVariable = process.env.PATH ?? '', isExecutable = canExecute): string {
  const candidates = [
    ...pathVariable
      .split(delimiter)
      .filter((dir) => dir !== '')
      .map((dir) => join(dir, 'nats-server')),
    DEBIAN_PATH,
  ];
  const found = candidates.find(isExecutable);
  if (found === undefined) {
    throw new Error(
      `nats-server was not found on PATH or at ${DEBIAN_PATH}; install it with: apt-get install nats-server`,
    );
  }
  return found;
}

function canExecute(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
