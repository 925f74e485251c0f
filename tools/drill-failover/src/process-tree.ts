import { readdirSync, readFileSync } from 'node:fs';

/** Parent PID from the text of /proc/<pid>/stat (the command name may contain spaces and parentheses). */
export function parentPidFromStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[1]);
}

/** `pid` and every descendant of it, read from /proc (a PostgreSQL postmaster and its backends). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it exited meanwhile
    }
    const parent = parentPidFromStat(stat);
    const list = children.get(parent) ?? [];
    list.push(Number(entry));
    children.set(parent, list);
  }
  const tree: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next === undefined) break;
    tree.push(next);
    pending.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** SIGKILL to a process and all its descendants at once (a site loss: nobody gets to clean up). */
export function killTree(pid: number): number {
  let killed = 0;
  for (const member of processTree(pid)) {
    try {
      process.kill(member, 'SIGKILL');
      killed += 1;
    } catch {
      // already gone
    }
  }
  return killed;
}
