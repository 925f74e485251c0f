import { Controller, Get, HttpCode, HttpException, HttpStatus, Logger } from '@nestjs/common';

import { ReadinessRegistry, type ReadinessReport } from './readiness';

@Controller()
export class HealthController {
  private readonly logger = new Logger('Readiness');

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
      this.logger.warn({ msg: 'readiness check failed', check: name, err: error });
    });
    if (!report.ready) {
      throw new HttpException({ status: 'not ready', checks: report.checks }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ready', checks: report.checks };
  }
}
