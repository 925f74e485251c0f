import { type BuiltServiceProcess, type Service, spawnBuiltService, waitFor } from '@ots/testing';

/** GET /readyz → 200 within a second. */
export async function isReady(httpPort: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${String(httpPort)}/readyz`, {
      signal: AbortSignal.timeout(1_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * One built service process (node dist/…/main.js) that the drill can SIGKILL and start again with the same
 * environment and ports, as an orchestrator would.
 */
export class ServiceHandle {
  private current: BuiltServiceProcess | undefined;
  /** output of earlier (killed) runs, for diagnostics */
  private earlierOutput = '';

  constructor(
    private readonly root: string,
    readonly service: Service,
    readonly name: string,
    private readonly env: Record<string, string>,
    readonly httpPort: number,
  ) {}

  get running(): boolean {
    const child = this.current?.child;
    if (!child) return false;
    return child.exitCode === null && child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    if (this.current) this.earlierOutput += this.current.stdout() + this.current.stderr();
    this.current = spawnBuiltService(this.root, this.service, this.env);
  }

  async waitReady(timeoutMs: number): Promise<void> {
    const current = this.current;
    if (!current) throw new Error(`${this.name} was not started`);
    await Promise.race([
      waitFor(() => isReady(this.httpPort), { timeoutMs, description: `${this.name} ready` }),
      current.exited.then(({ code, signal }) => {
        throw new Error(
          `${this.name} exited (${String(code ?? signal)}):\n${current.stderr().slice(-4_000)}`,
        );
      }),
    ]);
  }

  /** SIGKILL: no shutdown hooks, no drain; resolves once the process is gone. */
  async kill(): Promise<void> {
    const current = this.current;
    if (!current || !this.running) return;
    current.child.kill('SIGKILL');
    await current.exited;
  }

  /** Graceful stop (SIGTERM, SIGKILL after 10 s). */
  async stop(): Promise<void> {
    const current = this.current;
    if (!current || !this.running) return;
    current.child.kill('SIGTERM');
    const timer = setTimeout(() => current.child.kill('SIGKILL'), 10_000);
    await current.exited;
    clearTimeout(timer);
  }

  killNow(): void {
    if (this.running) this.current?.child.kill('SIGKILL');
  }

  output(): string {
    return this.earlierOutput + (this.current ? this.current.stdout() + this.current.stderr() : '');
  }
}
