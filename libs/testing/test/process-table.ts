import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether `pid` is a running process. ESRCH from process.kill(pid, 0) means gone; a zombie (exited, not yet reaped
 * by whoever adopted it) counts as gone too.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  return processState(pid) !== 'Z';
}

/** The error code of process.kill(pid, 0): 'ESRCH' once the process is gone (and reaped), undefined while it exists. */
export function signalZeroErrorCode(pid: number): string | undefined {
  try {
    process.kill(pid, 0);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

/** PIDs whose parent is `parentPid` (the postmaster's backends and auxiliary processes), from /proc. */
export function childPids(parentPid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat?.parentPid === parentPid) children.push(Number(entry));
  }
  return children;
}

function processState(pid: number): string | undefined {
  return readStat(pid)?.state;
}

function readStat(pid: number): { state: string; parentPid: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so split after the last ')'
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], parentPid: Number(fields[1]) };
}
