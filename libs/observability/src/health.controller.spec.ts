import { Logger } from '@nestjs/common';

import { HealthController } from './health.controller';
import { NotReadyError, ReadinessRegistry } from './readiness';

describe('HealthController /readyz logging', () => {
  it('logs a failing check when it goes down, when its reason changes and when it recovers, not at every probe', async () => {
    const warned: unknown[] = [];
    const logged: unknown[] = [];
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warned.push(message);
    });
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      logged.push(message);
    });
    try {
      let failure: string | undefined = 'not connected yet';
      const registry = new ReadinessRegistry();
      registry.register('nats', () => Promise.resolve());
      registry.register('database', () =>
        failure === undefined ? Promise.resolve() : Promise.reject(new Error(failure)),
      );
      const controller = new HealthController(registry);
      const probe = () =>
        controller.readyz().then(
          () => 200,
          () => 503,
        );

      expect([await probe(), await probe(), await probe()]).toEqual([503, 503, 503]);
      expect(warned).toHaveLength(1);
      failure = 'connection refused';
      expect(await probe()).toBe(503);
      expect(await probe()).toBe(503);
      expect(warned).toHaveLength(2);
      failure = undefined;
      expect([await probe(), await probe()]).toEqual([200, 200]);
      expect(logged).toEqual([{ msg: 'readiness check passes again', check: 'database' }]);
      failure = 'connection refused';
      expect(await probe()).toBe(503);
      expect(warned).toHaveLength(3); // down again after recovering: said again
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });
});

describe('HealthController /readyz log entries', () => {
  async function warningFor(error: Error): Promise<Record<string, unknown>> {
    const warned: Record<string, unknown>[] = [];
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warned.push(message as Record<string, unknown>);
    });
    try {
      const registry = new ReadinessRegistry();
      registry.register('dependency', () => Promise.reject(error));
      await expect(new HealthController(registry).readyz()).rejects.toMatchObject({ status: 503 });
    } finally {
      warn.mockRestore();
    }
    expect(warned).toHaveLength(1);
    return warned[0] ?? {};
  }

  it('gives an expected not-ready state by its reason alone, without a stack', async () => {
    expect(await warningFor(new NotReadyError('NATS is not connected yet'))).toEqual({
      msg: 'readiness check failed',
      check: 'dependency',
      reason: 'NATS is not connected yet',
    });
  });

  it('gives any other failure with the error itself, so that its stack is logged', async () => {
    const failure = new Error('relation "queued_message" does not exist');
    expect(await warningFor(failure)).toEqual({
      msg: 'readiness check failed',
      check: 'dependency',
      err: failure,
    });
  });

  it('treats a check that does not answer in time as an expected state', async () => {
    const registry = new ReadinessRegistry(20);
    registry.register('slow', () => new Promise(() => undefined));
    const failures: unknown[] = [];
    await registry.evaluate((_name, error) => failures.push(error));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(NotReadyError);
    expect((failures[0] as Error).message).toBe('slow readiness check timed out');
  });
});
