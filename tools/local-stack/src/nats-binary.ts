import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const CANDIDATE_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/bin'];

export function findNatsServer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...CANDIDATE_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

function isDebianRoot(): boolean {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const isDebian =
    existsSync('/etc/debian_version') || /ID(_LIKE)?=.*debian/.test(safeRead('/etc/os-release'));
  return isRoot && isDebian && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** nats-server is not on npm: install it from Debian when we may, else explain how. */
export function ensureNatsServer(log: (line: string) => void): string {
  const found = findNatsServer();
  if (found) return found;
  if (!isDebianRoot()) {
    throw new Error(
      'nats-server is not installed. Install it with your package manager (Debian/Ubuntu: `sudo apt-get install nats-server`) or put a nats-server 2.9+ binary on PATH, then run `npm start` again.',
    );
  }
  log('nats-server is missing: installing the Debian package (apt-get install nats-server)…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'nats-server'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = findNatsServer();
  if (!installed) throw new Error('apt-get installed nats-server but no nats-server binary was found');
  return installed;
}
