import { Metadata } from '@grpc/grpc-js';
import type { DirectoryClient } from '@ots/internal-clients';

import type { LoginRecorder } from '../domain/ports';

const MAX_PER_CALL = 1000;

/** Collects login times and sends them to the directory (RecordLogins) once per interval, newest per identity. */
export class DirectoryLoginRecorder implements LoginRecorder {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: DirectoryClient,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      void this.flush();
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  record(identity: string, at: Date): void {
    this.pending.set(identity, Math.max(this.pending.get(identity) ?? 0, at.getTime()));
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const entries = [...this.pending];
    this.pending = new Map();
    for (let start = 0; start < entries.length; start += MAX_PER_CALL) {
      const logins = entries
        .slice(start, start + MAX_PER_CALL)
        .map(([identity, ms]) => ({ identity, loginTimeMs: BigInt(ms) }));
      await new Promise<void>((resolve) => {
        this.client.recordLogins(
          { logins },
          new Metadata(),
          { deadline: new Date(Date.now() + 5_000) },
          (error) => {
            if (error) {
              this.onError(error);
              // keep them for the next round unless a newer login replaced them meanwhile
              for (const login of logins) {
                if (!this.pending.has(login.identity))
                  this.pending.set(login.identity, Number(login.loginTimeMs));
              }
            }
            resolve();
          },
        );
      });
    }
  }
}
