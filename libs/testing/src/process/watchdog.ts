import { spawn } from 'node:child_process';
import { Socket } from 'node:net';

/*
 * The owner process writes "pid N" for each process it starts in the dir (initdb, then the server) and "disarm" after
 * a clean stop. If its end of stdin closes
 * without "disarm", the owner died (SIGKILL, a crash, or a Jest sandbox whose process.on hooks never fire), so the
 * watchdog signals the server, waits for it to go (SIGKILL after 5 s) and removes the temp dir.
 */
const WATCHDOG_SCRIPT = `
trap '' INT TERM HUP
pid=
while IFS= read -r line; do
  case "$line" in
    "pid "*) pid="\${line#pid }" ;;
    disarm) exit 0 ;;
  esac
done
# running = exists and is not a zombie (the orphaned server is reaped by PID 1, maybe late)
running() {
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]
}
if [ -n "$pid" ]; then
  kill -s "$1" "$pid" 2>/dev/null
  i=0
  while running "$pid" && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  kill -s KILL "$pid" 2>/dev/null
fi
# a second try in case a process still wrote into the dir while it went
rm -rf -- "$2" 2>/dev/null || { sleep 0.2; rm -rf -- "$2"; }
`;

export interface Watchdog {
  /** The process to signal if this process dies; replaces an earlier one (initdb, then the server). */
  watch(pid: number): void;
  /** The resource was cleaned up normally: the watchdog exits without doing anything. */
  disarm(): void;
}

/**
 * Starts a detached /bin/sh watchdog that cleans up after this process if it dies. Detached, so a signal sent to our
 * whole process group (Ctrl-C, a CI timeout) does not take the watchdog down with us.
 */
export function startWatchdog(dir: string, signal: NodeJS.Signals): Watchdog {
  const shellSignal = signal.replace(/^SIG/, '');
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'ots-testing-watchdog', shellSignal, dir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const stdin = child.stdin;
  // a watchdog that already exited makes our writes fail with EPIPE; nothing to do about it here
  stdin.on('error', () => undefined);
  child.on('error', () => undefined);
  // the watchdog must never keep the test process alive
  child.unref();
  if (stdin instanceof Socket) stdin.unref();
  return {
    watch: (pid) => {
      if (stdin.writable) stdin.write(`pid ${String(pid)}\n`);
    },
    disarm: () => {
      if (stdin.writable) stdin.end('disarm\n');
    },
  };
}
