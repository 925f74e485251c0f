import { Controller, Get, HttpCode, HttpException, HttpStatus, Logger } from '@nestjs/common';

import { NotReadyError, ReadinessRegistry, type ReadinessReport } from './readiness';

@Controller()
export class HealthController {
  private readonly logger = new Logger('Readiness');
  /**
   * The message each failing check last failed with. A probe asks every few seconds (our local stack every 200 ms
   * while services start): the log says when a check goes down, changes its reason or comes back, not every time.
   */
  private readonly failing = new Map<string, string>();

  constructor(private readonly readiness: ReadinessRegistry) {}

  /** Liveness: the process answers. No dependency checks, so a database outage never restarts pods. */
  @Get('healthz')
  @HttpCode(HttpStatus.OK)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every registered dependency answers. */
  @Get('readyz')
  async readyz(): Promise<{ status: 'ready'; checks: ReadinessReport['checks'] }> {
    const report = await this.readiness.evaluate((name, error) => {
      const reason = error instanceof Error ? error.message : String(error);
      if (this.failing.get(name) === reason) return;
      this.failing.set(name, reason);
      this.logger.warn(
        error instanceof NotReadyError
          ? { msg: 'readiness check failed', check: name, reason }
          : { msg: 'readiness check failed', check: name, err: error },
      );
    });
    for (const [name, state] of Object.entries(report.checks)) {
      if (state === 'up' && this.failing.delete(name)) {
        this.logger.log({ msg: 'readiness check passes again', check: name });
      }
    }
    if (!report.ready) {
      throw new HttpException({ status: 'not ready', checks: report.checks }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ready', checks: report.checks };
  }
}
