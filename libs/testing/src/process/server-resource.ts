import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cleanupRegistry } from './cleanup-registry';
import type { ServerProcess } from './server-process';
import { startWatchdog, type Watchdog } from './watchdog';

export interface ServerResourceOptions {
  /** Prefix of the temp dir under os.tmpdir(), e.g. 'ots-pg-'. */
  readonly dirPrefix: string;
  readonly description: string;
  /** Graceful stop signal. */
  readonly stopSignal: NodeJS.Signals;
  /** Sent when there is no time to wait (process 'exit', or the watchdog after our death). */
  readonly urgentSignal: NodeJS.Signals;
  /** SIGKILL if the graceful stop takes longer than this. */
  readonly killAfterMs: number;
}

/**
 * A temp dir plus the server that uses it, with every cleanup path attached from the start: stop(), the
 * process-exit registry and the watchdog. stop() is idempotent and leaves neither process nor directory.
 */
export class ServerResource {
  private server: ServerProcess | undefined;
  private stopping: Promise<void> | undefined;
  private readonly watchdog: Watchdog;
  private readonly untrack: () => void;

  private constructor(
    readonly dir: string,
    private readonly options: ServerResourceOptions,
  ) {
    this.watchdog = startWatchdog(dir, options.urgentSignal);
    this.untrack = cleanupRegistry.track({
      description: `${options.description} (${dir})`,
      stop: () => this.stop(),
      killNow: () => {
        this.killNow();
      },
    });
  }

  static async create(options: ServerResourceOptions): Promise<ServerResource> {
    const dir = await mkdtemp(join(tmpdir(), options.dirPrefix));
    return new ServerResource(dir, options);
  }

  /**
   * The process now working in the dir (initdb, then the server; a retry on another port replaces a failed one):
   * the one that stop(), the exit hook and the watchdog signal.
   */
  attach(server: ServerProcess): void {
    this.server = server;
    const pid = server.spawnedPid;
    if (pid !== undefined) this.watchdog.watch(pid);
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    await this.server?.stop(this.options.stopSignal, this.options.killAfterMs);
    await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
    // only now: if anything above failed, the watchdog still cleans up when this process ends
    this.watchdog.disarm();
    this.untrack();
  }

  private killNow(): void {
    this.server?.signalNow(this.options.urgentSignal);
    // best effort; a server still shutting down may recreate a file, and the watchdog removes the dir again
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 2 });
  }
}
