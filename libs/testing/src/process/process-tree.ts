import { readdirSync, readFileSync } from 'node:fs';

/** PIDs whose parent is `parentPid`, read from /proc (e.g. the postmaster's backends). */
export function childProcessIds(parentPid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid …": comm may contain spaces and parentheses, so split after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === parentPid) children.push(Number(entry));
  }
  return children;
}

/** Exited (or a zombie waiting to be reaped): it holds no memory, ports or files any more. */
export function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/**
 * SIGKILL to `pid` and, in the same instant, to its children: a crash of the whole server, not a shutdown.
 * Returns the PIDs signalled; the kernel ends them a moment later (see isGone).
 */
export function killWithChildren(pid: number): number[] {
  const targets = [pid, ...childProcessIds(pid)];
  for (const target of targets) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return targets;
}
