import { type ChildProcess, spawn } from 'node:child_process';
import { Socket } from 'node:net';

import { LineTail } from './line-tail';

export interface OsUser {
  readonly uid: number;
  readonly gid: number;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

export interface SpawnServerOptions {
  /** Run as this OS user (PostgreSQL refuses to run as root). */
  readonly owner?: OsUser;
  readonly env: NodeJS.ProcessEnv;
  /** Sees every output line; tests leave it unset to keep the output quiet. */
  readonly onLog?: (line: string) => void;
  /** Own process group: a Ctrl-C meant for the test run does not reach it, we decide how it stops. */
  readonly detached?: boolean;
}

/** A spawned server (or initdb) whose output is kept for error messages and whose exit can be awaited. */
export class ServerProcess {
  readonly output = new LineTail();
  /** Resolves (never rejects) when the process has exited or could not be spawned. */
  readonly exited: Promise<ExitStatus>;
  private status: ExitStatus | undefined;
  private readonly lineListeners = new Set<(line: string) => void>();

  private constructor(
    readonly command: string,
    private readonly child: ChildProcess,
    onLog: ((line: string) => void) | undefined,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.status = { code, signal };
        resolve(this.status);
      });
      child.once('error', (error) => {
        // 'error' without 'exit' means the process never started
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) return;
        this.status = { code: null, signal: null, error };
        resolve(this.status);
      });
    });
    const onChunk = (chunk: Buffer): void => {
      for (const line of this.output.push(chunk.toString('utf8'))) {
        onLog?.(line);
        for (const listener of this.lineListeners) listener(line);
      }
    };
    // both streams must be read, or a chatty server blocks on a full pipe
    child.stdout?.on('data', onChunk);
    child.stderr?.on('data', onChunk);
  }

  static spawn(command: string, args: readonly string[], options: SpawnServerOptions): ServerProcess {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env,
      detached: options.detached ?? false,
      ...(options.owner ? { uid: options.owner.uid, gid: options.owner.gid } : {}),
    });
    return new ServerProcess(command, child, options.onLog);
  }

  /** Undefined when the spawn itself failed (the 'error' event then says why). */
  get spawnedPid(): number | undefined {
    return this.child.pid;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.command} was not spawned`);
    return this.child.pid;
  }

  hasExited(): boolean {
    return this.status !== undefined;
  }

  describeExit(): string {
    const status = this.status;
    if (status === undefined) return 'still running';
    if (status.error) return `could not be spawned: ${status.error.message}`;
    return status.signal ? `was killed by ${status.signal}` : `exited with code ${String(status.code)}`;
  }

  /** Calls `listener` for each later output line; returns the unsubscribe function. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Resolves when an output line matches `pattern`; rejects if the process exits first or `timeoutMs` passes. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        unsubscribe();
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => {
        finish(new Error(`no ${String(pattern)} within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = this.onLine((line) => {
        if (pattern.test(line)) finish();
      });
      void this.exited.then(() => {
        finish(new Error(this.describeExit()));
      });
    });
  }

  /**
   * Lets the test process exit while this server runs (a forgotten stop() must not hang Jest; the safety net kills it).
   * Only after startup: while we await the start, the process must keep the event loop alive.
   */
  releaseEventLoop(): void {
    this.setEventLoopHold(false);
  }

  /** Sends `signal`, escalates to SIGKILL after `killAfterMs`, and resolves once the process has exited. */
  async stop(signal: NodeJS.Signals, killAfterMs: number): Promise<void> {
    if (this.hasExited()) return;
    this.setEventLoopHold(true);
    this.child.kill(signal);
    const escalation = setTimeout(() => this.child.kill('SIGKILL'), killAfterMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(escalation);
    }
  }

  /** For process 'exit', where nothing asynchronous runs any more. */
  signalNow(signal: NodeJS.Signals): void {
    if (this.hasExited()) return;
    this.child.kill(signal);
  }

  private setEventLoopHold(hold: boolean): void {
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (stream instanceof Socket) {
        if (hold) stream.ref();
        else stream.unref();
      }
    }
    if (hold) this.child.ref();
    else this.child.unref();
  }
}
