import { Logger } from '@nestjs/common';

import { HealthController } from './health.controller';
import { ReadinessRegistry } from './readiness';

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
